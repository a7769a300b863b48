"""The administrator's pages: agency settings, units, staff, accounts and roles, audit."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from .. import audit, audit_anchor
from ..access import Action, guard
from ..errors import acting, flash_message
from ..extensions import db
from ..params import int_arg, page_arg, page_within
from ..text import fold
from . import operations as ops
from .forms import AccountForm, AgencyForm, RoleForm, StaffForm, UnitForm
from .models import Agency, RoleAssignment, Staff, Unit, User

bp = Blueprint("admin", __name__, url_prefix="/quan-tri")


def _units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).order_by(Unit.sort_order, Unit.name)))


def _fail(template: str, **context):
    """A refused save (rolled back to its savepoint and said): the form again, as typed."""
    return render_template(template, **context), 422


@bp.route("/co-quan", methods=["GET", "POST"])
@guard(Action.ADMIN)
def agency():
    agency = Agency.get()
    form = AgencyForm(obj=agency)
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k != "csrf_token"}
        ops.update_agency(current_user, **data)
        db.session.commit()
        flash("Đã lưu thông tin cơ quan.", "success")
        return redirect(url_for(".agency"))
    return render_template("admin/agency.html", form=form)


@bp.get("/don-vi")
@guard(Action.ADMIN)
def units():
    return render_template("admin/units.html", units=_units())


@bp.route("/don-vi/moi", methods=["GET", "POST"], defaults={"unit_id": None})
@bp.route("/don-vi/<int:unit_id>", methods=["GET", "POST"])
@guard(Action.ADMIN)
def unit_form(unit_id):
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit_id and unit is None:
        abort(404)
    form = UnitForm(obj=unit)
    if form.validate_on_submit():
        with acting(say=flash_message) as outcome:
            ops.save_unit(
                current_user,
                unit,
                name=form.name.data,
                code=form.code.data,
                kind=form.kind.data,
                sort_order=form.sort_order.data,
                active=form.active.data,
            )
        if outcome.refused:
            return _fail("admin/unit_form.html", form=form, unit=unit)
        db.session.commit()
        flash("Đã lưu đơn vị.", "success")
        return redirect(url_for(".units"))
    return render_template("admin/unit_form.html", form=form, unit=unit)


@bp.get("/can-bo")
@guard(Action.ADMIN)
def staff_list():
    query = select(Staff).join(Staff.unit)
    unit_id = int_arg("unit")
    if unit_id:
        query = query.where(Staff.unit_id == unit_id)
    term = fold(request.args.get("q", ""))
    people = db.session.scalars(query.order_by(Staff.sort_key)).all()
    if term:
        # Accent-insensitive search: "duc" finds "Đức"; 60–2,000 rows filter fast in Python.
        people = [p for p in people if term in fold(p.full_name)]
    size = 50
    page, pages = page_within(len(people), size, "page")
    return render_template(
        "admin/staff.html",
        people=people[(page - 1) * size : page * size],
        total=len(people),
        page=page,
        pages=pages,
        units=_units(),
        unit_id=unit_id,
        q=request.args.get("q", ""),
    )


@bp.route("/can-bo/moi", methods=["GET", "POST"], defaults={"staff_id": None})
@bp.route("/can-bo/<int:staff_id>", methods=["GET", "POST"])
@guard(Action.ADMIN)
def staff_form(staff_id):
    staff = db.session.get(Staff, staff_id) if staff_id else None
    if staff_id and staff is None:
        abort(404)
    form = StaffForm(obj=staff)
    form.unit_id.choices = [(u.id, u.name) for u in _units()]
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k != "csrf_token"}
        ops.save_staff(current_user, staff, **data)
        db.session.commit()
        flash("Đã lưu thông tin cán bộ.", "success")
        return redirect(url_for(".staff_list"))
    return render_template("admin/staff_form.html", form=form, staff=staff)


@bp.get("/tai-khoan")
@guard(Action.ADMIN)
def accounts():
    users = db.session.scalars(select(User).order_by(func.lower(User.username))).all()
    return render_template("admin/accounts.html", users=users)


def _staff_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Staff.id, Staff.full_name, Unit.name).join(Staff.unit).order_by(Staff.sort_key)
    )
    return [(0, "— không gắn với cán bộ —")] + [(i, f"{n} ({u})") for i, n, u in rows]


@bp.route("/tai-khoan/moi", methods=["GET", "POST"], defaults={"user_id": None})
@bp.route("/tai-khoan/<int:user_id>", methods=["GET", "POST"])
@guard(Action.ADMIN)
def account_form(user_id):
    user = db.session.get(User, user_id) if user_id else None
    if user_id and user is None:
        abort(404)
    form = AccountForm(obj=user)
    form.staff_id.choices = _staff_choices()
    role_form = RoleForm(prefix="role")
    role_form.unit_id.choices = [(0, "—")] + [(u.id, u.name) for u in _units()]
    if form.validate_on_submit():
        with acting(say=flash_message) as outcome:
            user = ops.save_account(
                current_user,
                user,
                username=form.username.data,
                email=form.email.data or None,
                staff_id=form.staff_id.data or None,
                active=form.active.data,
                password=form.password.data or None,
            )
        if outcome.refused:
            return _fail("admin/account_form.html", form=form, user=user, role_form=role_form)
        db.session.commit()
        flash("Đã lưu tài khoản.", "success")
        return redirect(url_for(".account_form", user_id=user.id))
    return render_template("admin/account_form.html", form=form, user=user, role_form=role_form)


@bp.post("/tai-khoan/<int:user_id>/vai-tro")
@guard(Action.ADMIN, load=User)
def role_add(user):
    form = RoleForm(prefix="role")
    form.unit_id.choices = [(0, "—")] + [(u.id, u.name) for u in _units()]
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
        return redirect(url_for(".account_form", user_id=user.id))
    with acting(say=flash_message) as outcome:
        ops.grant_role(
            current_user,
            user,
            role=form.role.data,
            unit_id=form.unit_id.data or None,
            council_position=form.council_position.data or None,
            year=form.year.data,
        )
    if outcome.refused:
        return redirect(url_for(".account_form", user_id=user.id))
    db.session.commit()
    flash("Đã thêm vai trò.", "success")
    return redirect(url_for(".account_form", user_id=user.id))


@bp.post("/vai-tro/<int:assignment_id>/go")
@guard(Action.ADMIN, load=RoleAssignment)
def role_remove(assignment):
    user_id = assignment.user_id
    with acting(say=flash_message) as outcome:
        ops.revoke_role(current_user, assignment)
    if outcome.refused:
        return redirect(url_for(".account_form", user_id=user_id))
    db.session.commit()
    flash("Đã gỡ vai trò.", "success")
    return redirect(url_for(".account_form", user_id=user_id))


@bp.get("/nhat-ky")
@guard(Action.VIEW_AUDIT)
def audit_log():
    page = page_arg()
    events = db.paginate(
        select(audit.AuditEvent).order_by(audit.AuditEvent.seq.desc()),
        page=page,
        per_page=50,
        error_out=False,
    )
    verdict = audit_anchor.check() if request.args.get("verify") else None
    return render_template(
        "admin/audit.html",
        events=events,
        verdict=verdict,
        checkpoint=audit_anchor.latest(),
        reason_title=audit_anchor.reason_title,
    )
