"""The API's blueprint: /api/v1, bearer tokens only, rate limited, JSON errors."""

from __future__ import annotations

import logging

from flask import current_app, request
from flask_smorest import Api, Blueprint
from sqlalchemy.exc import DataError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..db import UnstorableValue
from ..errors import STALE_MESSAGE, reset_session
from ..extensions import limiter
from ..params import BadInput
from ..throttle import _by_address, _key_hash
from .auth import authenticate

blp = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="Đọc dữ liệu thi đua, khen thưởng và thực hiện thao tác bằng mã truy cập cá nhân.",
)
blp.before_request(authenticate)


@blp.errorhandler(HTTPException)
def json_error(err: HTTPException):
    """{code, status, message, errors} (flask-smorest's error schema); nothing is kept."""
    reset_session()
    data = getattr(err, "data", None)
    if isinstance(data, dict) and "messages" in data and "message" not in data:
        # webargs refused the body or the query: say so in Vietnamese; `errors` names
        # each field (`json` → `items` → its index → the field).
        data["message"] = "Dữ liệu gửi lên không hợp lệ; không có gì được lưu."
    return Api.handle_http_exception(None, err)


@blp.errorhandler(BadInput)
def bad_input(err: BadInput):
    """A control character in the URL or body (params.py), refused before any view."""
    reset_session()
    return {"code": err.status, "status": "Unprocessable Entity", "message": err.message}, (
        err.status
    )


@blp.errorhandler(UnstorableValue)
@blp.errorhandler(DataError)
def unstorable(err: Exception):
    reset_session()
    return {"code": 400, "status": "Bad Request", "message": "Giá trị không lưu được."}, 400


@blp.errorhandler(StaleDataError)
def stale(err: Exception):
    reset_session()
    return {"code": 409, "status": "Conflict", "message": STALE_MESSAGE}, 409


@blp.errorhandler(Exception)
def unexpected(err: Exception):
    reset_session()
    logging.getLogger(__name__).exception("unhandled API error")
    return Api.handle_http_exception(None, InternalServerError())


def _token_key() -> str:
    """One budget per token presented (its hash; never the secret), else per address."""
    header = request.headers.get("Authorization", "")
    return "api|" + (_key_hash(header) if header else f"addr|{request.remote_addr}")


# Every call counts against its token's budget; a failed authentication also counts as a
# guess from its address, with sign-in failures and dead e-mail links (throttle.py).
limiter.limit(lambda: current_app.config["RATELIMIT_API"], key_func=_token_key, scope="api-token")(
    blp
)
limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_PER_ADDRESS"],
    **_by_address,
    deduct_when=lambda response: response.status_code == 401,
)(blp)
