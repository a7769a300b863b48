"""The award history pages: search, a person's and a unit's awards, import, revocation.

Thin views: load (the guard), check, validate the form, call one operation, commit once,
flash, redirect back.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from itertools import groupby
from types import MappingProxyType

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from .. import memo
from ..access import Action, can, guard
from ..enums import NomineeKind
from ..errors import DomainError, acting, flash_message
from ..extensions import db
from ..forms import Form
from ..nominations.importer import XLSX_MIME
from ..org.models import Staff, Unit
from ..paging import bounded_page
from ..params import choice_arg, int_arg, page_arg, search_arg
from ..text import fold, name_sort_key
from ..timeutil import local_now
from . import operations
from .facts import Discipline, Initiative, StaffRating
from .html import award_html
from .importer import import_records
from .importer_template import template_xlsx
from .models import AwardRecord
from .queries import record_codes, record_years

bp = Blueprint("history", __name__, url_prefix="/lich-su")
bp.add_app_template_global(award_html, "award_html")  # templates/history/_record.html

PER_PAGE = 50
SEARCH_CAP = 10_000  # records counted and paged on the search page; filters narrow the rest
UNIT_PAGE_LIMIT = 1500  # above this, the unit page shows one year at a time
MAX_SHOWN = 30  # row messages flashed (the session cookie is small)
UNLINKED_LIMIT = 200  # namesakes in the archive shown on a person's page


class ImportForm(Form):
    file = FileField("Tệp Excel", validators=[FileRequired("Chưa chọn tệp Excel để nhập.")])


class RevokeForm(Form):
    reason = TextAreaField(
        "Lý do thu hồi",
        validators=[
            DataRequired("Cần ghi lý do thu hồi (số, ngày quyết định thu hồi và lý do)."),
            Length(max=operations.MAX_REASON),
        ],
    )


def _flash_list(message: str, details: list[str], category: str) -> None:
    shown = details[:MAX_SHOWN]
    if len(details) > len(shown):
        shown.append(f"… và {len(details) - len(shown)} dòng khác.")
    text = escape(message)
    if shown:
        items = Markup("").join(Markup("<li>{}</li>").format(d) for d in shown)
        text += Markup('<ul class="mb-0">{}</ul>').format(items)
    flash(text, category)


def _refusal_list(err: DomainError) -> None:
    """A refused import or act: its message, the rows it names as one list."""
    _flash_list(err.message, err.details, "danger")


def _by_year(records) -> list[tuple[int, list[AwardRecord]]]:
    return [(year, list(group)) for year, group in groupby(records, key=lambda r: r.year)]


def _years(*where) -> list[int]:
    return db.session.scalars(
        select(AwardRecord.year).where(*where).distinct().order_by(AwardRecord.year.desc())
    ).all()


KINDS = {"": "Cá nhân và tập thể", **{k.value: k.title_vi for k in NomineeKind}}
SORTS = {"nam": "Năm gần nhất trước", "ten": "Theo họ tên", "don-vi": "Theo đơn vị"}


# The columns the search page shows of a record, with its unit's name, as plain rows: no
# ORM object for each of the page's records and their units.
_LISTED = select(
    AwardRecord.id,
    AwardRecord.year,
    AwardRecord.kind,
    AwardRecord.staff_id,
    AwardRecord.unit_id,
    AwardRecord.name,
    AwardRecord.award_code,
    AwardRecord.award_name,
    AwardRecord.decision_number,
    AwardRecord.decision_date,
    AwardRecord.issuer,
    AwardRecord.counts_as_basis,
    AwardRecord.revoked_at,
    AwardRecord.revoked_reason,
    Unit.name.label("unit_name"),
).outerjoin(Unit, Unit.id == AwardRecord.unit_id)


_UNITS = select(Unit.id, Unit.name).order_by(Unit.sort_order, Unit.name)  # built once


@bp.get("/")
@guard(Action.VIEW_HISTORY)  # the Văn phòng, the Director, the admin
def index():
    query, folded = search_arg("q")
    year = int_arg("nam", hi=9999)
    unit_id = int_arg("don_vi")
    kind = choice_arg("loai", KINDS)
    sort = choice_arg("sap_xep", SORTS, "nam")
    # The count and the filters' choices, kept while nothing changes (dossier/memo.py).
    token = memo.usable_token()
    codes = memo.remember("history.codes", lambda: MappingProxyType(record_codes()), token)
    code = choice_arg("hinh_thuc", codes)
    stmt = select(AwardRecord.id)
    if folded:
        stmt = stmt.where(AwardRecord.name_folded.contains(folded, autoescape=True))
    if year:
        stmt = stmt.where(AwardRecord.year == year)
    if unit_id:
        stmt = stmt.where(AwardRecord.unit_id == unit_id)
    if kind:
        stmt = stmt.where(AwardRecord.kind == kind)
    if code:
        stmt = stmt.where(AwardRecord.award_code == code)
    if sort == "ten":
        stmt = stmt.order_by(AwardRecord.name_folded, AwardRecord.year.desc(), AwardRecord.id)
    elif sort == "don-vi":
        stmt = stmt.outerjoin(Unit, Unit.id == AwardRecord.unit_id).order_by(
            Unit.sort_order, Unit.name, AwardRecord.year.desc(), AwardRecord.name_folded
        )
    else:
        stmt = stmt.order_by(AwardRecord.year.desc(), AwardRecord.name_folded, AwardRecord.id)
    page = bounded_page(
        stmt,
        lambda ids: db.session.execute(_LISTED.where(AwardRecord.id.in_(ids))).all(),
        page=page_arg(),
        per_page=PER_PAGE,
        cap=SEARCH_CAP,
        remember=lambda count: memo.remember(
            ("history.count", folded, year, unit_id, kind, code), count, token
        ),
    )
    # The unit filter's 400 choices: two columns.
    units = memo.remember("history.units", lambda: tuple(db.session.execute(_UNITS)), token)
    filters = (
        ("q", query),
        ("nam", year),
        ("don_vi", unit_id),
        ("loai", kind),
        ("hinh_thuc", code),
        ("sap_xep", sort if sort != "nam" else None),
    )
    return render_template(
        "history/index.html",
        page=page,
        units=units,
        years=memo.remember("history.years", lambda: tuple(record_years()), token),
        query=query,
        year=year,
        unit_id=unit_id,
        kind=kind,
        kinds=KINDS,
        code=code,
        codes=codes,
        sort=sort,
        sorts=SORTS,
        filters={k: v for k, v in filters if v},
        import_form=ImportForm(),
    )


@bp.get("/ca-nhan/<int:staff_id>")
@guard(Action.VIEW_STAFF, load=Staff)
def person(staff: Staff):
    order = (AwardRecord.year.desc(), AwardRecord.decision_date.desc(), AwardRecord.id)
    records = db.session.scalars(
        select(AwardRecord).where(AwardRecord.staff_id == staff.id).order_by(*order)
    ).all()
    # Archive rows with this name not tied to anyone (namesakes, or no unit in the file):
    # the whole department's for those who see every unit, else this unit's only.
    loose = select(AwardRecord).where(
        AwardRecord.staff_id.is_(None),
        AwardRecord.kind == NomineeKind.INDIVIDUAL.value,
        AwardRecord.name_folded == fold(staff.full_name),
    )
    if not can(current_user, Action.VIEW_HISTORY):
        loose = loose.where(AwardRecord.unit_id == staff.unit_id)
    unlinked = db.session.scalars(
        loose.options(joinedload(AwardRecord.unit)).order_by(*order).limit(UNLINKED_LIMIT)
    ).all()
    facts = {
        model.__name__: db.session.scalars(
            select(model).where(model.staff_id == staff.id).order_by(*order)
        ).all()
        for model, order in (
            (StaffRating, (StaffRating.year.desc(),)),
            (Initiative, (Initiative.decision_date.desc(), Initiative.id)),
            (Discipline, (Discipline.year.desc(), Discipline.id)),
        )
    }
    return render_template(
        "history/person.html",
        staff=staff,
        years=_by_year(records),
        unlinked=unlinked,
        revoke_form=RevokeForm(),
        facts=facts,
        this_year=local_now().year,
    )


@bp.get("/don-vi/<int:unit_id>")
@guard(Action.VIEW_HISTORY, load=Unit)  # its own heads and clerks may look too
def unit(unit: Unit):
    in_unit = AwardRecord.unit_id == unit.id
    years = _years(in_unit)
    year = int_arg("nam", hi=9999)
    total = db.session.scalar(select(func.count()).where(in_unit))
    if year is None and total > UNIT_PAGE_LIMIT and years:
        year = years[0]
    stmt = select(AwardRecord).where(in_unit)
    if year is not None:
        stmt = stmt.where(AwardRecord.year == year)
    records = db.session.scalars(stmt.order_by(AwardRecord.year.desc())).all()
    groups = []
    for y, items in _by_year(records):
        collective = [r for r in items if r.kind == NomineeKind.COLLECTIVE.value]
        people = sorted(
            (r for r in items if r.kind == NomineeKind.INDIVIDUAL.value),
            key=lambda r: (
                name_sort_key(r.name),
                r.staff_id or 0,
                r.name_folded,
                r.birth_date or date.min,
                r.award_name,
            ),
        )
        # One line per person (the register's id, else name and birth date), awards listed.
        people = [
            list(g)
            for _, g in groupby(
                people,
                key=lambda r: (
                    r.staff_id or 0,
                    r.name_folded,
                    None if r.staff_id else r.birth_date,
                ),
            )
        ]
        groups.append((y, collective, people))
    return render_template(
        "history/unit.html",
        unit=unit,
        groups=groups,
        years=years,
        year=year,
        total=total,
        limit=UNIT_PAGE_LIMIT,
        revoke_form=RevokeForm(),
    )


@bp.get("/mau.xlsx")
@guard(Action.REVIEW_DOSSIER)
def template():
    return send_file(
        BytesIO(template_xlsx()),
        mimetype=XLSX_MIME,
        as_attachment=True,
        download_name="Mẫu lịch sử khen thưởng.xlsx",
        max_age=0,
    )


@bp.post("/nhap")
@guard(Action.REVIEW_DOSSIER)
def import_file():
    form = ImportForm()
    if not form.validate_on_submit():
        _flash_list(
            "Chưa nhập được:", [e for errors in form.errors.values() for e in errors], "danger"
        )
        return redirect(url_for(".index"))
    # Nothing is pending: end the transaction, so SQLite's write lock is not held while the
    # file is read (seconds for a whole archive); the import takes it again to write.
    db.session.commit()
    warnings: list[str] = []
    with acting(say=_refusal_list) as outcome:
        count = import_records(current_user, form.file.data, warnings=warnings)
    if outcome.refused:
        return redirect(url_for(".index"))
    db.session.commit()
    flash(f"Đã nhập {count} bản ghi vào lịch sử khen thưởng.", "success")
    if warnings:
        _flash_list(f"{len(warnings)} dòng cần xem lại (đã nhập):", warnings, "warning")
    return redirect(url_for(".index"))


def _back(record: AwardRecord):
    if record.staff_id:
        return redirect(url_for(".person", staff_id=record.staff_id))
    if record.unit_id:
        return redirect(url_for(".unit", unit_id=record.unit_id, nam=record.year))
    return redirect(url_for(".index", q=record.name, nam=record.year))


@bp.post("/ban-ghi/<int:record_id>/thu-hoi")
@guard(Action.REVIEW_DOSSIER, load=AwardRecord)
def revoke(record: AwardRecord):
    back = _back(record)  # before a refusal's rollback (to the savepoint) expires the record
    form = RevokeForm()
    if not form.validate_on_submit():
        _flash_list(
            "Chưa thu hồi được:", [e for errors in form.errors.values() for e in errors], "danger"
        )
        return back
    with acting(say=flash_message) as outcome:
        operations.revoke(current_user, record, form.reason.data)
    if outcome.refused:
        return back
    db.session.commit()
    flash(f"Đã thu hồi {record.award_name} năm {record.year} của {record.name}.", "success")
    return back
