"""The guides: every role's one-page guide, printable (Ctrl+P: the print stylesheet keeps
the page to its text)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from ..access import Action, guard
from ..timeutil import local_now
from .content import ASK, GUIDES, SLUGS
from .queries import guide, next_cutoff, office_people, roles_of

bp = Blueprint("help", __name__, url_prefix="/huong-dan")


@bp.get("/")
@guard(Action.HOME)
def index():
    mine = set(roles_of(current_user))
    guides = [(role, SLUGS[role], GUIDES[role], role in mine) for role in GUIDES]
    return render_template("help/index.html", guides=guides)


@bp.get("/<slug>")
@guard(Action.HOME)
def show(slug: str):
    role, content = guide(slug)
    if role is None:
        abort(404)
    return render_template(
        "help/guide.html",
        role=role,
        guide=content,
        ask=ASK[role],
        people=office_people(),
        upcoming=next_cutoff(),
        today=local_now().date(),
    )
