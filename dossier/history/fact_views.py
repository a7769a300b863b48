"""Entering a person's yearly ratings, initiatives and disciplines (the unit, on the
person's page), and importing them from Excel (the Văn phòng for every unit, a unit for
its own people). Thin views: check, call one operation, commit once, flash, redirect."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask_login import current_user

from ..access import Action, Refused, can, guard
from ..errors import acting
from ..extensions import db
from ..nominations.importer import XLSX_MIME
from ..org.models import Staff
from ..params import form_int, form_text, parse_date, safe_next
from . import operations
from .facts import Discipline, Initiative, StaffRating
from .facts_import import SPECS, import_facts, importable_units, template_xlsx
from .views import ImportForm, _flash_list, _refusal_list

bp = Blueprint("facts", __name__, url_prefix="/can-bo")


def _back(staff_id: int):
    return redirect(url_for("history.person", staff_id=staff_id) + "#du-lieu")


def _run(staff_id: int, act, done: str):
    with acting(say=_refusal_list) as outcome:
        act()
    if outcome.refused:
        return _back(staff_id)
    db.session.commit()
    flash(done, "success")
    return _back(staff_id)


@bp.post("/<int:staff_id>/xep-loai")
@guard(Action.EDIT_STAFF_FACTS, load=Staff)
def rating(staff: Staff):
    year, value = form_int("year", hi=9999), form_text("rating", "Xếp loại", max_len=20)
    act = lambda: operations.set_rating(current_user, staff, year=year, rating=value)  # noqa: E731
    return _run(staff.id, act, f"Đã ghi xếp loại năm {year} của {staff.full_name}.")


@bp.post("/<int:staff_id>/sang-kien")
@guard(Action.EDIT_STAFF_FACTS, load=Staff)
def initiative(staff: Staff):
    def act():
        operations.add_initiative(
            current_user,
            staff,
            title=form_text("title", "Tên sáng kiến", max_len=400),
            decision_number=form_text("decision_number", "Số quyết định", max_len=80),
            decision_date=parse_date(request.form.get("decision_date")),
            scope=form_text("scope", "Phạm vi", max_len=20),
        )

    return _run(staff.id, act, f"Đã ghi sáng kiến của {staff.full_name}.")


@bp.post("/<int:staff_id>/ky-luat")
@guard(Action.EDIT_STAFF_FACTS, load=Staff)
def discipline(staff: Staff):
    def act():
        operations.add_discipline(
            current_user,
            staff,
            year=form_int("year", hi=9999),
            level=form_text("level", "Hình thức kỷ luật", max_len=20),
            decision_number=form_text("decision_number", "Số quyết định", max_len=80),
        )

    return _run(staff.id, act, f"Đã ghi kỷ luật của {staff.full_name}.")


def _remove(row):
    staff_id = row.staff_id
    return _run(staff_id, lambda: operations.remove_fact(current_user, row), "Đã xóa.")


@bp.post("/xep-loai/<int:rating_id>/xoa")
@guard(Action.EDIT_STAFF_FACTS, load=StaffRating)
def remove_rating(row):
    return _remove(row)


@bp.post("/sang-kien/<int:initiative_id>/xoa")
@guard(Action.EDIT_STAFF_FACTS, load=Initiative)
def remove_initiative(row):
    return _remove(row)


@bp.post("/ky-luat/<int:discipline_id>/xoa")
@guard(Action.EDIT_STAFF_FACTS, load=Discipline)
def remove_discipline(row):
    return _remove(row)


def _allowed_units() -> set[int] | None:
    """None: every unit (the Văn phòng); else the units the user works for."""
    try:
        return importable_units(current_user)
    except Refused:
        abort(403)


@bp.get("/mau/<any('xep-loai','sang-kien','ky-luat'):slug>.xlsx")
@guard(Action.EDIT_STAFF_FACTS)
def template(slug: str):
    return send_file(
        BytesIO(template_xlsx(slug)),
        mimetype=XLSX_MIME,
        as_attachment=True,
        download_name=f"Mẫu {SPECS[slug].title}.xlsx",
        max_age=0,
    )


@bp.post("/nhap/<any('xep-loai','sang-kien','ky-luat'):slug>")
@guard(Action.EDIT_STAFF_FACTS)
def import_file(slug: str):
    back = redirect(safe_next(request.form.get("next")))
    allowed = _allowed_units()
    form = ImportForm()
    if not form.validate_on_submit():
        _flash_list("Chưa nhập được:", [e for es in form.errors.values() for e in es], "danger")
        return back
    db.session.commit()
    with acting(say=_refusal_list) as outcome:
        count = import_facts(current_user, slug, form.file.data, allowed_units=allowed)
    if outcome.refused:
        return back
    db.session.commit()
    flash(f"Đã nhập {count} dòng {SPECS[slug].title}.", "success")
    return back


def can_edit(staff: Staff) -> bool:
    return bool(can(current_user, Action.EDIT_STAFF_FACTS, staff))
