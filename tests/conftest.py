"""Test harness: one database per test session, a rolled-back transaction per test.

Each session (each pytest-xdist worker) builds the schema once, in its own SQLite file or its
own PostgreSQL database (`dossier_test_gw0`, ...), and creates the app once. Every test then
runs inside one outer transaction on one connection: the app's sessions join it with
savepoints (`join_transaction_mode="create_savepoint"`), so a commit releases a savepoint and
the test's end rolls everything back.

Tests marked `real_db` need commits that other connections see (threads racing, a live HTTP
server, raw SQL on a second connection): they get today's isolation instead, their own app
on a fresh SQLite file, or on PostgreSQL truncated tables in the worker's second database.
"""

from __future__ import annotations

import gc
import os
import shutil
from contextlib import contextmanager

import pytest
from flask import current_app
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

from dossier import create_app, timeutil
from dossier.audit import HEAD_ROW_SQL
from dossier.demo import load_demo
from dossier.extensions import db
from dossier.org import sessions
from tests.clients import (  # re-exported: tests import them from here
    Browserless as Browserless,
)
from tests.clients import (
    csrf_from as csrf_from,
)
from tests.clients import (
    csrf_token_of as csrf_token_of,
)
from tests.clients import (
    login as login,
)
from tests.clients import (
    sign_in_directly as sign_in_directly,
)

PG_URL = os.environ.get("TEST_DATABASE_URL")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1, ... under pytest-xdist
_pg_schema_ready = False
# What a rolled-back test patches, as it was.
_GET_BIND = db.session.session_factory.class_.get_bind
_OWN_TRANSACTION = sessions.own_transaction


def _app_config(tmp_path, url: str | None = None) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{tmp_path / 'test.db'}",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "SERVER_NAME": None,
        # No mail server: messages wait in the outbox unless a test starts its own (aiosmtpd).
        "MAIL_SERVER": None,
        # Production hashes with scrypt (150 ms); the tests sign in thousands of times.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


# --- the garbage collector ---------------------------------------------------------------


def pytest_collection_finish(session):
    """What collection imported (the app, its libraries, Hypothesis, Playwright, the tests:
    some 250,000 objects) lives as long as the session: frozen out of the collector's passes,
    and the passes made rarer. A run spent ~8 s of CPU in collections, most of it walking
    those objects again in ~30 full passes; ~3 s now."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(7000, 20, 100)


# --- which tests this run leaves to the other backend's run --------------------------------

ONE_BACKEND_GROUPS = {"neutral", "pages", "flows"}


def pytest_collection_modifyitems(config, items):
    """TEST_LEAVE_OUT="pages flows" deselects the tests marked one_backend("pages") or
    one_backend("flows"): scripts/test.sh runs each such group in one backend's run only, since
    its outcome does not depend on the database. Unset (a single backend's run): all run."""
    leave = set(os.environ.get("TEST_LEAVE_OUT", "").replace(",", " ").split())
    unknown = leave - ONE_BACKEND_GROUPS
    if unknown:
        raise pytest.UsageError(f"TEST_LEAVE_OUT: unknown group(s) {sorted(unknown)}")
    keep, left = [], []
    for item in items:
        mark = item.get_closest_marker("one_backend")
        if mark is not None and (len(mark.args) != 1 or mark.args[0] not in ONE_BACKEND_GROUPS):
            raise pytest.UsageError(f"{item.nodeid}: one_backend takes one of {ONE_BACKEND_GROUPS}")
        (left if mark is not None and mark.args[0] in leave else keep).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = keep


# --- PostgreSQL: a database of this worker's own ------------------------------------------


def pg_admin(fn) -> None:
    engine = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            fn(conn)
    finally:
        engine.dispose()


def create_pg_database(suffix: str) -> str:
    """A new, empty database for this worker on the test cluster; its URL."""
    url = make_url(PG_URL)
    url = url.set(database=f"{url.database}_{WORKER}{suffix}")

    def create(conn):
        # A run that was killed may have left it behind.
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{url.database}"')

    pg_admin(create)
    return url.render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    name = make_url(url).database
    pg_admin(lambda conn: conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


SEQUENCES_SQL = (
    "SELECT string_agg(format('setval(%L, 1, false)', format('%I.%I', schemaname, sequencename)),"
    " ', ') FROM pg_sequences WHERE schemaname = current_schema()"
)


# Every test starts from the empty schema: no account, an audit chain at its genesis.
LEFTOVERS_SQL = "SELECT (SELECT count(*) FROM user_account), (SELECT seq FROM audit_head)"


# --- the session's database and app ---------------------------------------------------------


@pytest.fixture(scope="session")
def _shared(tmp_path_factory):
    """(app, SQL that restarts every id at 1): the schema and the app, built once."""
    tmp = tmp_path_factory.mktemp("shared")
    url = create_pg_database("") if PG_URL else None
    app = create_app(_app_config(tmp, url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        restart_ids = None
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                calls = conn.execute(text(SEQUENCES_SQL)).scalar_one()
            restart_ids = f"SELECT {calls}" if calls else None
        db.session.remove()
    yield app, restart_ids
    with app.app_context():
        db.engine.dispose()
    if url:
        drop_pg_database(url)


@pytest.fixture(scope="session")
def real_database_url():
    """Where `real_db` tests and live servers commit: None on SQLite (each makes a fresh
    file); on PostgreSQL, a second database of this worker, truncated before each use."""
    if not PG_URL:
        yield None
        return
    url = create_pg_database("_real")
    yield url
    drop_pg_database(url)


def reset_database() -> None:
    """Empty schema for a `real_db` test: new SQLite file, or emptied PostgreSQL tables."""
    global _pg_schema_ready
    if db.engine.dialect.name != "postgresql":
        db.create_all()
        return
    if not _pg_schema_ready:
        db.drop_all()
        db.create_all()
        _pg_schema_ready = True
        return
    # DELETE, children first, in one round trip: a test leaves a few rows, and TRUNCATE
    # makes new files for every table and index (150 ms each time against ~3 ms).
    deletes = "; ".join(f'DELETE FROM "{t.name}"' for t in reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        calls = conn.execute(text(SEQUENCES_SQL)).scalar_one()
        append_only = ("audit_event", "audit_checkpoint")  # their triggers refuse DELETE
        conn.exec_driver_sql(
            "".join(f"ALTER TABLE {t} DISABLE TRIGGER USER; " for t in append_only)
            + f"{deletes}; "
            + "".join(f"ALTER TABLE {t} ENABLE TRIGGER USER; " for t in append_only)
        )
        if calls:  # ids from 1 again, as TRUNCATE ... RESTART IDENTITY did
            conn.exec_driver_sql(f"SELECT {calls}")
        conn.execute(text(HEAD_ROW_SQL))


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    Otherwise Flask reuses the test's app context: `g` (Flask-Login's user) and the
    database session would leak from one request into the next. As a server does, the
    client reads the whole body and closes the response: a file sent or an upload spooled
    to disk is closed at once, not left to the garbage collector (a ResourceWarning).
    """

    def open(self, *args, **kwargs):
        if _cv_app.get(None) is not None:
            # What the test built is committed, and its transaction (a write lock on
            # SQLite, where every transaction begins IMMEDIATE) is released.
            db.session.commit()
        token = _cv_app.set(None)
        kwargs.setdefault("buffered", True)
        try:
            response = super().open(*args, **kwargs)
            if kwargs["buffered"]:  # the body is kept in memory
                for each in (*response.history, response):
                    each.close()
                    # Werkzeug leaves a body spooled to a temporary file open
                    # unless it followed redirects.
                    each.request.input_stream.close()
            return response
        finally:
            _cv_app.reset(token)
            if _cv_app.get(None) is not None:
                db.session.expire_all()  # the test's objects reflect what the request wrote


@contextmanager
def _savepoint_on(conn):
    with conn.begin_nested():
        yield conn


def _rolled_back(shared, tmp_path, monkeypatch):
    """The session's app, every session joined to one transaction that the end rolls back."""
    app, restart_ids = shared
    config = app.config.copy()  # a test may change settings: they end with it
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    with app.app_context():
        conn = db.engine.connect()
        outer = conn.begin()
        try:
            if restart_ids:  # ids from 1 in every test, as after TRUNCATE ... RESTART IDENTITY
                conn.exec_driver_sql(restart_ids)
            left = tuple(conn.execute(text(LEFTOVERS_SQL)).one())
            assert left == (0, 0), f"an earlier test committed outside its transaction: {left}"
            # Every session (the test's, each request's) works on this connection; its commit
            # releases a savepoint, its rollback goes back to one. Flask-SQLAlchemy's get_bind
            # picks the engine, not a session's bind, so the bind is set here.
            factory = db.session.session_factory
            monkeypatch.setitem(factory.kw, "join_transaction_mode", "create_savepoint")
            monkeypatch.setattr(factory.class_, "get_bind", lambda self, *a, **kw: conn)
            # A page's own short transaction (the session touch) joins it too: a second
            # connection would wait out SQLite's busy timeout behind the test's write lock.
            monkeypatch.setattr(sessions, "own_transaction", lambda: _savepoint_on(conn))
            yield app
        finally:
            db.session.remove()
            if outer.is_active:
                outer.rollback()
            conn.close()
    app.config.clear()
    app.config.update(config)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory):
    """The demo department, loaded once per session into a database of its own: the live
    servers serve copies of it (tests/browser/conftest.py) and the rolled-back tests copy its
    rows (`_demo_snapshot`). (tmp, url, present): its directory (SQLite file, stored files),
    its PostgreSQL URL or None, and the tables an empty schema already fills."""
    tmp = tmp_path_factory.mktemp("demo")
    url = create_pg_database("_demo") if PG_URL else None
    app = create_app(_app_config(tmp, url))
    factory = db.session.session_factory
    # Built while a rolled-back test may run: its patches that bind every session to its
    # connection are set aside, so the demo goes into this database.
    with pytest.MonkeyPatch.context() as mp, app.app_context():
        mp.setattr(factory.class_, "get_bind", _GET_BIND)
        mp.delitem(factory.kw, "join_transaction_mode", raising=False)
        mp.setattr(sessions, "own_transaction", _OWN_TRANSACTION)
        db.create_all()
        conn = db.session.connection()
        tables = db.metadata.sorted_tables
        present = {t.name for t in tables if conn.execute(t.select().limit(1)).first()}
        load_demo()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # PostgreSQL copies a template only while nobody is connected
    yield tmp, url, present
    if url:
        drop_pg_database(url)


@pytest.fixture(scope="session")
def _demo_snapshot(demo_database):
    """The demo department's rows and stored files, read once from `demo_database`."""
    tmp, url, present = demo_database
    engine = create_engine(url or f"sqlite:///{tmp / 'test.db'}")
    try:
        with engine.connect() as conn:
            rows = {
                t.name: [dict(r._mapping) for r in conn.execute(t.select())]
                for t in db.metadata.sorted_tables
            }
    finally:
        engine.dispose()
    return rows, present, tmp / "uploads"


def load_demo_copy(snapshot) -> None:
    """What load_demo() + commit give, copied from the session's snapshot in a few bulk
    INSERTs (loading it through the operations takes seconds). For rolled-back tests."""
    rows, present, uploads = snapshot
    tables = db.metadata.sorted_tables
    conn = db.session.connection()
    for table in reversed(tables):
        if table.name in present:  # the empty schema's own rows (the audit chain's head)
            conn.execute(table.delete())
    for table in tables:
        if rows[table.name]:
            conn.execute(table.insert(), rows[table.name])
    if conn.dialect.name == "postgresql":  # ids go on after the copied ones
        for table in tables:
            column = table.c.get("id")
            if column is not None and column.autoincrement is not False and rows[table.name]:
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f'(SELECT max(id) FROM "{table.name}"))'
                )
    if uploads.exists():
        shutil.copytree(uploads, current_app.config["UPLOAD_FOLDER"], dirs_exist_ok=True)
    db.session.commit()
    db.session.expire_all()


@pytest.fixture
def demo_loaded(request, app):
    """The demo department, committed: from the session's snapshot, or loaded for real in a
    `real_db` test's own database."""
    if request.node.get_closest_marker("real_db"):
        load_demo()
        db.session.commit()
    else:
        load_demo_copy(request.getfixturevalue("_demo_snapshot"))
    return app


def _committed(tmp_path, url):
    """A `real_db` test's own app and empty database: commits are real, as in production."""
    app = create_app(_app_config(tmp_path, url))
    app.test_client_class = IsolatedClient
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        reset_database()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(request, tmp_path, monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")
    if request.node.get_closest_marker("real_db"):
        yield from _committed(tmp_path, request.getfixturevalue("real_database_url"))
    else:
        yield from _rolled_back(request.getfixturevalue("_shared"), tmp_path, monkeypatch)
    timeutil.freeze(None)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def as_user(app):
    """as_user(user) -> a Browserless client signed in as that user."""

    def make(user):
        client = app.test_client()
        sign_in_directly(client, user)
        return Browserless(client, user)

    return make
