"""Test harness: a fresh database per test, on SQLite or on TEST_DATABASE_URL (PostgreSQL)."""

from __future__ import annotations

import os
import re

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import text

from dossier import create_app
from dossier.audit import HEAD_ROW_SQL
from dossier.extensions import db

PG_URL = os.environ.get("TEST_DATABASE_URL")
_pg_schema_ready = False


def _app_config(tmp_path) -> dict:
    url = PG_URL or f"sqlite:///{tmp_path / 'test.db'}"
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "SERVER_NAME": None,
        # No mail server: messages wait in the outbox unless a test starts its own (aiosmtpd).
        "MAIL_SERVER": None,
        # Production hashes with scrypt (150 ms); the tests sign in thousands of times.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


def reset_database() -> None:
    """Empty schema for this test: new SQLite file, or truncated PostgreSQL tables."""
    global _pg_schema_ready
    if db.engine.dialect.name != "postgresql":
        db.create_all()
        return
    if not _pg_schema_ready:
        db.drop_all()
        db.create_all()
        _pg_schema_ready = True
        return
    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
        conn.execute(text(HEAD_ROW_SQL))


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    Otherwise Flask reuses the test's app context: `g` (Flask-Login's user) and the
    database session would leak from one request into the next.
    """

    def open(self, *args, **kwargs):
        if _cv_app.get(None) is not None:
            # What the test built is committed, and its transaction (a write lock on
            # SQLite, where every transaction begins IMMEDIATE) is released.
            db.session.commit()
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)
            if _cv_app.get(None) is not None:
                db.session.expire_all()  # the test's objects reflect what the request wrote


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")
    app = create_app(_app_config(tmp_path))
    app.test_client_class = IsolatedClient
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        reset_database()
        yield app
        db.session.remove()
        db.engine.dispose()
    from dossier import timeutil

    timeutil.freeze(None)


@pytest.fixture
def client(app):
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in page"
    return match.group(1)


class Browserless:
    """A signed-in test client that fetches a CSRF token the way a browser would."""

    def __init__(self, client, user=None):
        self.client = client
        self.user = user

    def token(self, page: str = "/") -> str:
        return csrf_from(self.client.get(page).get_data(as_text=True))

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post(self, url, data=None, *, page="/", **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(page))
        return self.client.post(url, data=data, **kw)


def login(client, username: str, password: str = "secret123"):
    page = client.get("/dang-nhap").get_data(as_text=True)
    resp = client.post(
        "/dang-nhap",
        data={
            "csrf_token": csrf_from(page),
            "username": username,
            "password": password,
        },
    )
    return resp


@pytest.fixture
def as_user(app):
    """as_user(user) -> a Browserless client signed in as that user."""

    def make(user):
        client = app.test_client()
        resp = login(client, user.username)
        assert resp.status_code == 302, resp.get_data(as_text=True)
        return Browserless(client, user)

    return make
