"""Domain errors and the HTTP error pages, all in Vietnamese."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import flash, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from .db import UnstorableValue
from .extensions import db
from .params import BadInput


class DomainError(Exception):
    """A rule of the process refused an act; the message is shown to the user as is."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


class ConflictError(DomainError):
    """Someone else changed the object first (optimistic locking)."""


class Outcome:
    """What acting() saw: the refusal, when the act was refused (falsy when it was done)."""

    error: DomainError | None = None

    @property
    def refused(self) -> bool:
        return self.error is not None


def flash_refusal(err: DomainError) -> None:
    """A refusal, said to the user: its message, then each detail."""
    flash(err.message, "danger")
    for detail in err.details:
        flash(detail, "danger")


def flash_message(err: DomainError) -> None:
    """A refusal said by its message alone (where the details are not for this page)."""
    flash(err.message, "danger")


@contextmanager
def acting(
    say: Callable[[DomainError], None] | None = flash_refusal,
) -> Iterator[Outcome]:
    """Run one act in a savepoint. A refusal (DomainError) rolls back to the savepoint
    (what the act wrote, nothing the request did before it), is said (by `say`: item by
    item unless the view says it its own way; None: not at all), and goes no further; the
    caller checks `.refused`. Operations never commit or roll back, and views never roll
    the whole session back: the request commits once, after its acts."""

    outcome = Outcome()
    try:
        with db.session.begin_nested():
            yield outcome
    except DomainError as err:
        outcome.error = err
        if say is not None:
            say(err)


STALE_MESSAGE = (
    "Dữ liệu vừa được người khác thay đổi trong lúc anh/chị thao tác. "
    "Hãy tải lại trang để xem bản mới nhất rồi thực hiện lại."
)

HTTP_MESSAGES = {
    400: ("Yêu cầu không hợp lệ", "Dữ liệu gửi lên không hợp lệ."),
    403: ("Không có quyền", "Anh/chị không có quyền thực hiện thao tác này hoặc xem nội dung này."),
    404: ("Không tìm thấy", "Trang hoặc hồ sơ anh/chị tìm không tồn tại."),
    405: ("Thao tác không hợp lệ", "Phương thức truy cập này không được hỗ trợ."),
    409: ("Xung đột dữ liệu", STALE_MESSAGE),
    422: ("Dữ liệu không hợp lệ", "Dữ liệu gửi lên không hợp lệ; chưa có gì được lưu."),
    413: (
        "Tệp quá lớn",
        "Tệp tải lên vượt quá dung lượng cho phép. Không có dữ liệu nào được lưu.",
    ),
    429: ("Quá nhiều yêu cầu", "Anh/chị thao tác quá nhanh, vui lòng thử lại sau ít phút."),
    500: (
        "Lỗi hệ thống",
        "Đã có lỗi xảy ra; thao tác chưa được lưu. Vui lòng thử lại hoặc báo quản trị viên.",
    ),
}


def _page(code: int, message: str | None = None):
    title, default = HTTP_MESSAGES.get(code, HTTP_MESSAGES[500])
    if request.path.startswith("/api/"):  # the API's error schema (flask-smorest's)
        return {"code": code, "status": title, "message": message or default}, code
    if request.accept_mimetypes.best == "application/json":
        return {"error": message or default}, code
    return render_template("errors.html", code=code, title=title, message=message or default), code


def reset_session() -> None:
    """After any error: the request's session holds no transaction and no connection.

    Rolling back ends the transaction and gives the connection back to the pool (which
    rolls back again on return). Should the rollback itself fail (the connection broke),
    the session is dropped whole, so the error page and every later request of this
    worker start from a fresh session and a sound connection.
    """
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001
        logging.getLogger(__name__).exception("rollback after an error failed")
        db.session.remove()


def register(app) -> None:
    @app.errorhandler(BadInput)
    def bad_input(err):
        reset_session()
        return _page(err.status, err.message)

    @app.errorhandler(UnstorableValue)
    def unstorable(err):
        # Input that got past every check at the edge; refused before the driver saw it.
        reset_session()
        app.logger.warning("unstorable value refused: %s", err)
        return _page(400)

    @app.errorhandler(DataError)
    def bad_value(err):
        # A value the database refused as such (PostgreSQL: a text longer than its column,
        # a number out of range): bad input that got past the checks, not a fault of ours.
        reset_session()
        app.logger.warning("value refused by the database: %s", err.orig)
        return _page(400)

    @app.errorhandler(CSRFError)
    def csrf_error(err):
        reset_session()
        return _page(
            400,
            "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (mã chống giả mạo CSRF). "
            "Hãy tải lại trang và thực hiện lại; chưa có gì được lưu.",
        )

    @app.errorhandler(StaleDataError)
    def stale(err):
        reset_session()
        return _page(409)

    @app.errorhandler(413)
    def too_large(err):
        reset_session()
        return _page(
            413,
            f"Tệp tải lên vượt quá dung lượng cho phép "
            f"({app.config['MAX_UPLOAD_MB']} MB). Không có dữ liệu nào được lưu.",
        )

    @app.errorhandler(HTTPException)
    def http_error(err):
        reset_session()
        return _page(err.code or 500)

    @app.errorhandler(Exception)
    def unexpected(err):
        reset_session()
        app.logger.exception("unhandled error")
        return _page(500)
