"""Wires the API into the app: flask-smorest's Api (one per app), the OpenAPI document's
security scheme, JSON errors for the API's blueprint only, CSRF exemption for it only."""

from __future__ import annotations

import threading

from flask import Flask
from flask_smorest import Api

from ..extensions import csrf

DESCRIPTION = """API của hệ thống thi đua, khen thưởng.

Xác thực bằng mã truy cập cá nhân (tạo ở Tài khoản → Mã truy cập API):
`Authorization: Bearer tdkt_…`. Mỗi lời gọi đi qua cùng lớp phân quyền và cùng thao tác như
các trang, và ghi cùng nhật ký kiểm tra."""


class LocalApi(Api):
    """flask-smorest's Api without its app-wide error handlers: the pages keep their own
    (HTML, Vietnamese); the API's blueprint gets the JSON ones.

    Its OpenAPI document is filled in when first read (the openapi.json page, `flask
    openapi`), not at every start (issue 17: ~15 ms of each start for a page few open):
    `register_blueprint` adds the routes at once and keeps the blueprint's documentation
    for later; reading `spec` adds it, in the order the blueprints were registered, with
    flask-smorest's own code, so the document is the one an eager Api builds (a test
    compares them)."""

    def __init__(self, *args, **kwargs):
        self._pending_docs: list[tuple] = []
        self._documenting = False
        self._docs_failed: BaseException | None = None
        self._docs_lock = threading.RLock()
        super().__init__(*args, **kwargs)

    @property
    def spec(self):
        # Another thread documenting: wait for it (flag set before the list is emptied).
        if self._pending_docs or self._documenting:
            with self._docs_lock:
                if self._pending_docs:
                    self._documenting = True
                    # Taken off the list first: the documenting code reads `spec` itself.
                    pending, self._pending_docs = self._pending_docs, []
                    try:
                        for blp, blp_name, parameters in pending:
                            self._document(blp, blp_name, parameters)
                    except BaseException as exc:
                        self._docs_failed = exc  # half a document is never served
                        raise
                    finally:
                        self._documenting = False
        if self._docs_failed is not None:
            # What an eager Api would have raised at start, raised at every read instead.
            raise RuntimeError("the OpenAPI document could not be built") from self._docs_failed
        return self._spec

    @spec.setter
    def spec(self, value) -> None:
        self._spec = value

    def register_blueprint(self, blp, *, parameters=None, **options):
        """flask-smorest's `Api.register_blueprint` with the documentation deferred."""
        blp_name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][blp_name] = self
        self._app.register_blueprint(blp, **options)
        with self._docs_lock:
            self._pending_docs.append((blp, blp_name, parameters))

    def _document(self, blp, blp_name, parameters) -> None:
        blp.register_views_in_doc(self, self._app, self._spec, name=blp_name, parameters=parameters)
        self._spec.tag({"name": blp_name, "description": blp.description})

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
