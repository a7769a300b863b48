"""After any error the worker's session and connection are clean: eight kinds of failing
request (a huge page or id, an exception after a write, an IntegrityError, a refused parameter,
bad SQL, a failing page), then 50 ordinary writes through the same app all succeed, on the
test client and on a threaded HTTP server; and the pool ends any transaction a connection
brings back.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text

from dossier.extensions import db
from dossier.org.models import Unit
from tests.conftest import csrf_from, login
from tests.test_council_concurrency import Browser, _QuietHandler
from tests.test_malformed_input import _office_and_admin

# --- a clean worker after any error ----------------------------------------------------------

WRITES = 50


def _install_failing_routes(app):
    """Test-only routes that fail in each way a request can, after writing something."""

    def fail_after_write():
        db.session.add(Unit(name="Sẽ bị hủy", code="HUY1", kind="division"))
        db.session.flush()  # a write lock on SQLite, a row lock on PostgreSQL
        raise RuntimeError("forced failure after a write")

    def integrity_error():
        db.session.add(Unit(name="Trùng mã A", code="TRUNG", kind="division"))
        db.session.add(Unit(name="Trùng mã B", code="TRUNG", kind="division"))
        db.session.flush()  # IntegrityError: the unique code

    def huge_parameter():
        db.session.add(Unit(name="Số quá lớn", code="LON", kind="division"))
        db.session.flush()
        db.session.get(Unit, 10**24)  # refused before the driver (400)

    def sql_error():
        db.session.execute(text("SELECT * FROM no_such_table"))

    def broken_read():
        db.session.scalars(select(Unit)).all()  # a read transaction open…
        raise RuntimeError("forced failure in a page")

    for path, view, methods in (
        ("/_test/fail-after-write", fail_after_write, ["POST"]),
        ("/_test/integrity", integrity_error, ["POST"]),
        ("/_test/huge", huge_parameter, ["POST"]),
        ("/_test/sql", sql_error, ["GET", "POST"]),
        ("/_test/broken-read", broken_read, ["GET"]),
    ):
        view._access = "public"
        app.add_url_rule(path, path, view, methods=methods)
    from dossier.extensions import csrf

    for path in ("fail_after_write", "integrity_error", "huge_parameter", "sql_error"):
        csrf.exempt(f"{__name__}.{path}")


ERROR_REQUESTS = [
    ("GET", "/ho-so/?page=" + "9" * 25),
    ("GET", "/ho-so/" + "9" * 23),
    ("POST", "/_test/fail-after-write"),
    ("POST", "/_test/integrity"),
    ("POST", "/_test/huge"),
    ("GET", "/_test/sql"),
    ("POST", "/_test/sql"),
    ("GET", "/_test/broken-read"),
]


def _unit_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Unit))


def _error_statuses(send) -> list[int]:
    return [send(method, path) for method, path in ERROR_REQUESTS]


@pytest.mark.real_db
def test_fifty_writes_succeed_after_errors_through_the_test_client(app):
    _install_failing_routes(app)
    admin = _office_and_admin()
    client = app.test_client()
    assert login(client, admin.username).status_code == 302
    before = _unit_count()
    statuses = _error_statuses(lambda m, p: client.open(p, method=m).status_code)
    assert statuses == [200, 404, 500, 500, 400, 500, 500, 500], statuses
    # The form page after the errors, once: a read on the same worker; its token serves
    # every write of this session (Flask-WTF signs the session's one secret).
    token = csrf_from(client.get("/quan-tri/don-vi/moi").get_data(as_text=True))
    for i in range(WRITES):
        resp = client.post(
            "/quan-tri/don-vi/moi",
            data={
                "csrf_token": token,
                "name": f"Phòng Sau Lỗi {i}",
                "code": f"SL{i}",
                "kind": "division",
                "sort_order": "1",
                "active": "y",
            },
        )
        assert resp.status_code == 302, (i, resp.status_code)
    assert _unit_count() == before + WRITES  # and nothing of the failed requests


@pytest.mark.real_db
def test_fifty_writes_succeed_after_errors_on_a_threaded_server(app):
    """The same on a real threaded HTTP server, the writes from two clients at once: every
    connection the pool hands out after the errors is sound."""
    _install_failing_routes(app)
    username = _office_and_admin().username  # read now: the main thread must hold no lock
    before = _unit_count()
    db.session.commit()
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        browsers = [Browser(base), Browser(base)]
        for br in browsers:
            br.sign_in(username)
        first = browsers[0]
        statuses = _error_statuses(lambda m, p: first._open(p, {} if m == "POST" else None)[0])
        assert statuses == [200, 404, 500, 500, 400, 500, 500, 500], statuses
        failures: list = []

        def writer(k: int, br: Browser) -> None:
            token = br.token("/quan-tri/don-vi/moi")  # the form page once: one per session
            for i in range(k, WRITES, 2):
                status, _ = br.post(
                    "/quan-tri/don-vi/moi",
                    {
                        "csrf_token": token,
                        "name": f"Phòng Luồng {i}",
                        "code": f"LU{i}",
                        "kind": "division",
                        "sort_order": "1",
                        "active": "y",
                    },
                )
                if status != 302:
                    failures.append((i, status))

        workers = [threading.Thread(target=writer, args=(k, br)) for k, br in enumerate(browsers)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(300)
        assert not failures, failures
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
    assert _unit_count() == before + WRITES


@pytest.mark.real_db
def test_a_connection_never_returns_to_the_pool_inside_a_transaction(app):
    """SQLAlchemy skips its rollback-on-return when it believes it ended the transaction
    itself; a COMMIT that failed (SQLite keeps the transaction open after a busy COMMIT)
    deactivates its Transaction without ending the database's. The pool ends it anyway."""
    db.session.commit()
    db.session.close()
    engine = db.engine
    conn = engine.connect()
    driver = conn.connection.driver_connection
    trans = conn.begin()  # BEGIN IMMEDIATE on SQLite: the write lock
    conn.exec_driver_sql("SELECT 1")
    trans._deactivate_from_connection()  # what a failed COMMIT leaves (private API, on purpose)
    conn.close()  # back to the pool, with no reset by SQLAlchemy
    raw = engine.raw_connection()
    try:
        assert raw.driver_connection is driver  # the same connection, reused
        if engine.dialect.name == "sqlite":
            assert not raw.driver_connection.in_transaction
        else:
            assert raw.driver_connection.info.transaction_status == 0  # IDLE
    finally:
        raw.close()
