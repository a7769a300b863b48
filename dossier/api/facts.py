"""The API's writes for a connected HR system: yearly ratings and initiatives.

The same guard as the page's Excel import (EDIT_STAFF_FACTS, the units the caller may import
for), the same operation (history.facts_import.apply_rows: every row checked, all or none,
one "staff_facts_imported" audit event), and one more scope on the token: "facts:write".
Re-sending is safe: a row for a person and year already recorded (an initiative: the same
title and decision number) replaces it instead of adding a second one."""

from __future__ import annotations

from flask import g
from flask_smorest import abort

from ..access import Action, Refused
from ..errors import DomainError
from ..extensions import db
from ..history.facts_import import apply_rows, importable_units
from . import fact_schemas as fs
from . import schemas as s
from .auth import api_guard
from .blueprint import blp

SCOPE = "facts:write"


def item_label(n: int) -> str:
    return f"Mục {n} (items[{n - 1}])"


def _import(slug: str, kind: str, raw: list[tuple[int, tuple]]) -> dict:
    user = g.api_token.user
    try:
        units = importable_units(user)
        with db.session.begin_nested():
            done = apply_rows(
                user,
                slug,
                raw,
                source="api",
                allowed_units=units,
                update=True,
                label=item_label,
            )
    except Refused as err:
        abort(403, message=err.message)
    except DomainError as err:
        abort(422, message=err.message, errors={"details": err.details})
    db.session.commit()
    return {"kind": kind, "created": done.created, "updated": done.updated, "rows": done.rows}


BAD_ROWS = "Một mục sai: không mục nào được ghi; `errors.details` nêu từng mục"


@blp.route("/staff-facts/ratings", methods=["POST"])
@blp.arguments(fs.RatingBatch, example=fs.RATING_EXAMPLE)
@blp.response(200, fs.ImportedOut)
@blp.alt_response(422, schema=s.Error, description=BAD_ROWS)
@api_guard(Action.EDIT_STAFF_FACTS, scope=SCOPE)
def import_ratings(args):
    """Import yearly ratings (đánh giá, xếp loại chất lượng), as the page's Excel import
    does: people named by full name and unit (date of birth when two share a name), all
    rows or none. The same person and year sent again replaces the rating."""
    raw = [
        (n, (i["year"], i["full_name"], i["birth_date"], i["unit"], i["rating"]))
        for n, i in enumerate(args["items"], start=1)
    ]
    return _import("xep-loai", "ratings", raw)


@blp.route("/staff-facts/initiatives", methods=["POST"])
@blp.arguments(fs.InitiativeBatch, example=fs.INITIATIVE_EXAMPLE)
@blp.response(200, fs.ImportedOut)
@blp.alt_response(422, schema=s.Error, description=BAD_ROWS)
@api_guard(Action.EDIT_STAFF_FACTS, scope=SCOPE)
def import_initiatives(args):
    """Import recognised initiatives (sáng kiến) or accepted research topics, all rows or
    none. The same person, title and decision number sent again replaces the row."""
    raw = [
        (
            n,
            (
                i.get("year") or i["decision_date"].year,
                i["full_name"],
                i["birth_date"],
                i["unit"],
                i["title"],
                i["decision_number"],
                i["decision_date"],
                i["scope"],
            ),
        )
        for n, i in enumerate(args["items"], start=1)
    ]
    return _import("sang-kien", "initiatives", raw)
