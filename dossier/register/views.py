"""The register page: the Văn thư sees each sequence (issuer, kind, year) with its last
number given, and sets it to stay in step with the agency's paper or electronic register."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..access import Action, guard
from ..council.models import Meeting
from ..council.numbering import number_minutes, waiting_minutes
from ..enums import DocKind
from ..errors import acting
from ..extensions import db
from ..org.models import Agency
from ..params import form_int, form_text, parse_int
from ..timeutil import local_now
from . import operations as ops
from .models import RegisterEntry

bp = Blueprint("register", __name__, url_prefix="/so-van-ban")


@bp.get("/")
@guard(Action.MANAGE_REGISTER)
def index():
    given = {
        (issuer, kind, year): count
        for issuer, kind, year, count in db.session.execute(
            select(
                RegisterEntry.issuer, RegisterEntry.kind, RegisterEntry.year, func.count()
            ).group_by(RegisterEntry.issuer, RegisterEntry.kind, RegisterEntry.year)
        )
    }
    return render_template(
        "register/index.html",
        sequences=ops.sequences(),
        given=given,
        kinds=DocKind,
        year=local_now().year,
        agency=Agency.get(),
        peek=ops.peek,
        code=ops.code,
        minutes=waiting_minutes(),
    )


@bp.post("/")
@guard(Action.MANAGE_REGISTER)
def save():
    kind = request.form.get("kind", "")
    if kind not in {k.value for k in DocKind}:
        flash("Loại văn bản không hợp lệ.", "danger")
        return redirect(url_for(".index"))
    value = parse_int(request.form.get("last_number"), hi=ops.MAX_NUMBER)
    seen = parse_int(request.form.get("seen"))
    issuer = form_text("issuer", "Cơ quan ban hành (ký hiệu)", max_len=20)
    year = form_int("year", 0, hi=9999)
    with acting() as outcome:
        ops.set_current(
            current_user,
            issuer=issuer,
            kind=kind,
            year=year,
            seen=seen,
            value=value if value is not None else -1,
        )
    if not outcome.refused:
        db.session.commit()
        flash(
            f"Đã cập nhật sổ {kind}-{issuer} năm {year}: số đã cấp gần nhất {value}; "
            f"số tiếp theo {ops.code(ops.peek(kind, issuer, year), kind, issuer)}.",
            "success",
        )
    return redirect(url_for(".index"))


@bp.post("/bien-ban/<int:meeting_id>")
@guard(Action.MANAGE_REGISTER, load=Meeting)
def minutes(meeting):
    """The Văn thư numbers a closed meeting's minutes (blank: the register's next)."""
    given = None
    with acting() as outcome:
        given = number_minutes(
            current_user, meeting, number=form_text("number", "Số biên bản", max_len=40)
        )
    if not outcome.refused:
        db.session.commit()
        flash(f"Đã cấp số biên bản {given}.", "success")
    return redirect(url_for(".index"))
