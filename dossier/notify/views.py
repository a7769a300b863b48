"""Quản trị › Hộp thư đi: what waits, what went, what failed; "Gửi lại"."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import Action, guard
from ..errors import acting
from ..extensions import db
from ..timeutil import now
from . import outbox
from .delivery import UNCONFIGURED
from .models import Message, MessageStatus

bp = Blueprint("outbox", __name__, url_prefix="/quan-tri/hop-thu-di")
STATUSES = {s.value for s in MessageStatus}


def _status_arg(source) -> str | None:
    status = source.get("status") or None
    return status if status in STATUSES else None


def _back():
    status, page = _status_arg(request.form), request.form.get("page", 1, type=int)
    return redirect(url_for(".index", status=status, page=max(page, 1)))


def _queued_note() -> str:
    if outbox.server_label() is None:
        return UNCONFIGURED
    return "Bộ gửi thư sẽ gửi trong lượt tới."


@bp.get("")
@guard(Action.ADMIN)
def index():
    status = _status_arg(request.args)
    if request.args.get("status") and status is None:
        flash("Trạng thái lọc không hợp lệ; đang hiện mọi thư.", "warning")
    page = max(request.args.get("page", 1, type=int), 1)
    messages = db.paginate(outbox.listing(status), page=page, per_page=50, error_out=False)
    moment = now()
    return render_template(
        "admin/outbox.html",
        messages=messages,
        rows=[outbox.row(m, moment) for m in messages.items],
        counts=outbox.counts(),
        status=status,
        statuses=list(MessageStatus),
        server=outbox.server_label(),
        unconfigured=UNCONFIGURED,
    )


@bp.post("/<int:message_id>/gui-lai")
@guard(Action.ADMIN, load=Message)
def retry(message):
    with acting() as outcome:
        outbox.retry(current_user, message)
    if outcome.refused:
        return _back()
    db.session.commit()
    flash(f"Đã đưa thư số {message.id} vào hàng đợi gửi ngay. {_queued_note()}", "success")
    return _back()


@bp.post("/gui-lai-thu-loi")
@guard(Action.ADMIN)
def retry_failed():
    count = outbox.retry_failed(current_user)
    db.session.commit()
    if count:
        flash(f"Đã đưa {count} thư gửi lỗi vào hàng đợi gửi ngay. {_queued_note()}", "success")
    else:
        flash("Không có thư gửi lỗi nào.", "info")
    return _back()
