"""Wires the API into the app: flask-smorest's Api (one per app), the OpenAPI document's
security scheme, JSON errors for the API's blueprint only, CSRF exemption for it only."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from ..extensions import csrf

DESCRIPTION = """API của hệ thống thi đua, khen thưởng.

Xác thực bằng mã truy cập cá nhân (tạo ở Tài khoản → Mã truy cập API):
`Authorization: Bearer tdkt_…`. Mỗi lời gọi đi qua cùng lớp phân quyền và cùng thao tác như
các trang, và ghi cùng nhật ký kiểm tra."""


class LocalApi(Api):
    """flask-smorest's Api without its app-wide error handlers: the pages keep their own
    (HTML, Vietnamese); the API's blueprint gets the JSON ones."""

    def _register_error_handlers(self):
        pass


def init_app(app: Flask) -> LocalApi:
    from . import facts, records, resources  # noqa: F401  (their routes join the blueprint)
    from .blueprint import blp

    app.config.setdefault("API_TITLE", "Thi đua, khen thưởng")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    api = LocalApi(
        spec_kwargs={
            "info": {"description": DESCRIPTION},
            "security": [{"bearerAuth": []}],
        }
    )
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "tdkt_…"}
    )
    csrf.exempt(blp)  # bearer tokens only: no cookie is read, so no request can be forged
    api.register_blueprint(blp)
    app.extensions["dossier-api"] = api
    return api
