"""Bearer tokens for the API, and the guard every API view declares.

The API reads no session cookie: a request is authenticated by `Authorization: Bearer
<token>` only, so a browser's session can never be ridden by a cross-site request (that is
why the API, and only it, is exempt from CSRF). The token's user becomes Flask-Login's
`current_user` for the request, and every view asks `access.can()` exactly as the pages do.
"""

from __future__ import annotations

from functools import wraps

from flask import g, request
from flask_smorest import abort

from ..access import Action, can
from ..extensions import db
from . import operations as ops

UNAUTHORIZED = "Thiếu mã truy cập, mã sai, đã hết hạn hoặc đã bị thu hồi."


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    kind, _, secret = header.partition(" ")
    if kind.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def authenticate() -> None:
    """Before every API view: the token's user, or 401 (counted as a failed guess)."""
    secret = bearer_secret()
    token = ops.authenticate(secret) if secret else None
    if token is None:
        abort(401, message=UNAUTHORIZED, headers={"WWW-Authenticate": 'Bearer realm="api"'})
    if db.session.dirty:
        db.session.commit()  # last_used_at, at most every few minutes
    g.api_token = token
    g._login_user = token.user  # Flask-Login's current_user for this request only


def api_guard(action: Action, scope: str = "read", load=None):
    """The token must carry `scope`; then can(user, action, obj) as on the pages.

    `load` turns the URL's `<…_id>` into the object (404 if none), like access.guard."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = g.api_token
            if scope not in token.scope_set:
                abort(403, message=f"Mã truy cập này không có phạm vi “{scope}”.")
            obj = None
            if load is not None:
                key = next(k for k in kwargs if k.endswith("_id"))
                obj = db.session.get(load, kwargs.pop(key))
                if obj is None:
                    abort(404, message="Không tìm thấy.")
            if not can(token.user, action, obj):
                abort(403, message="Anh/chị không có quyền xem hoặc làm việc này.")
            return view(obj, *args, **kwargs) if load is not None else view(*args, **kwargs)

        wrapped._access = action
        wrapped._api_scope = scope
        return wrapped

    return decorate
