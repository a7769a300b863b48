"""Pages to name a substitute: one's own ("Người làm thay"), and the admin's for anyone."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import Action, guard
from ..errors import acting, flash_message
from ..extensions import db
from ..states import DelegationTrigger
from ..timeutil import local_now
from ..workflow import allowed
from . import delegation as ops
from .forms import DelegationForm
from .models import Delegation, User

bp = Blueprint("delegation", __name__)


def _choices(users: list[User]) -> list[tuple[int, str]]:
    def label(u: User) -> str:
        text = u.display_name
        if u.staff is not None:
            text += f" – {u.staff.position}, {u.staff.unit.name}"
        return text

    return [(0, "— Chọn —")] + [(u.id, label(u)) for u in users]


def _form(delegator: User | None, *, admin: bool) -> DelegationForm:
    form = DelegationForm()
    if admin:  # anyone for anyone; the operation still refuses oneself
        everyone = ops.candidates(current_user, everyone=True) + [current_user]
        form.delegator_id.choices = _choices(sorted(everyone, key=lambda u: u.display_name))
        form.substitute_id.choices = _choices(everyone)
    else:
        del form.delegator_id
        form.substitute_id.choices = _choices(ops.candidates(delegator))
    if request.method == "GET":
        today = local_now().date()
        form.starts_on.data = form.starts_on.data or today
        form.ends_on.data = form.ends_on.data or today
    return form


def _save(form: DelegationForm, delegator: User | None, template: str, **context):
    if form.validate_on_submit():
        with acting(say=flash_message) as outcome:
            ops.create(
                current_user,
                delegator=delegator,
                substitute=db.session.get(User, form.substitute_id.data or 0),
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                reason=form.reason.data,
            )
        if outcome.refused:
            return render_template(template, form=form, **context), 422
        db.session.commit()
        flash("Đã giao việc làm thay; người làm thay được báo qua thư điện tử.", "success")
        return None
    if request.method == "POST":
        return render_template(template, form=form, **context), 422
    return render_template(template, form=form, **context)


@bp.route("/tai-khoan/lam-thay", methods=["GET", "POST"])
@guard(Action.DELEGATE)
def mine():
    form = _form(current_user, admin=False)
    context = dict(
        given=ops.given_by(current_user),
        received=ops.received_by(current_user),
        delegable=ops.delegable_roles(current_user),
        admin=False,
        statuses=ops.STATUS_TITLES,
        today=local_now().date(),
    )
    response = _save(form, current_user, "org/delegation.html", **context)
    return response or redirect(url_for(".mine"))


@bp.route("/quan-tri/lam-thay", methods=["GET", "POST"])
@guard(Action.ADMIN)
def admin():
    form = _form(None, admin=True)
    delegator = (
        db.session.get(User, form.delegator_id.data or 0) if request.method == "POST" else None
    )
    context = dict(
        given=ops.recent(),
        received=[],
        delegable=None,
        admin=True,
        statuses=ops.STATUS_TITLES,
        today=local_now().date(),
    )
    if request.method == "POST" and delegator is None:
        flash("Hãy chọn người vắng mặt.", "danger")
        return render_template("org/delegation.html", form=form, **context), 422
    response = _save(form, delegator, "org/delegation.html", **context)
    return response or redirect(url_for(".admin"))


@bp.post("/lam-thay/<int:delegation_id>/huy")
@guard(Action.DELEGATE, load=Delegation)  # signed in; who may cancel is the row's to say
def cancel(delegation: Delegation):
    if not allowed(current_user, delegation, DelegationTrigger.CANCEL):
        abort(403)
    with acting(say=flash_message) as outcome:
        ops.cancel(current_user, delegation)
    if not outcome.refused:
        db.session.commit()
        flash("Đã hủy việc làm thay.", "success")
    back = request.form.get("back")
    return redirect(url_for(".admin") if back == "admin" else url_for(".mine"))
