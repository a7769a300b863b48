"""Signed-in test clients: the CSRF token as a page carries it, and a sign-in without the page."""

from __future__ import annotations

import hashlib
import os
import re
import secrets

from itsdangerous import URLSafeTimedSerializer

from dossier import timeutil
from dossier.extensions import db
from dossier.org import sessions
from dossier.org.models import UserSession

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

    def token(self, page: str | None = None) -> str:
        """The CSRF token: read from `page` when a test names one, else computed from the
        session cookie exactly as Flask-WTF signs it for every page (no page rendered)."""
        if page is not None:
            return csrf_from(self.client.get(page).get_data(as_text=True))
        return csrf_token_of(self.client)

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post(self, url, data=None, *, page=None, **kw):
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


def csrf_token_of(client) -> str:
    """What Flask-WTF's generate_csrf puts in a page's form for this client's session."""
    app = client.application
    with client.session_transaction() as sess:
        raw = sess.setdefault("csrf_token", hashlib.sha1(os.urandom(64)).hexdigest())
    secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)


def sign_in_directly(client, user) -> None:
    """The state a successful sign-in leaves, without the sign-in page: the server-side
    session row (sessions.start) and the cookie Flask-Login reads. The sign-in form itself,
    its throttling and its refusals are tested through the page (tests/test_auth.py,
    tests/test_login_limits.py, tests/test_sessions.py)."""
    assert user.active, f"{user.username} is disabled: sign in through the page to test that"
    token = secrets.token_urlsafe(32)
    moment = timeutil.now()
    db.session.add(
        UserSession(
            token_hash=sessions._hash(token),
            user_id=user.id,
            created_at=moment,
            last_seen_at=moment,
        )
    )
    db.session.commit()
    with client.session_transaction() as sess:
        sess.clear()
        sess[sessions.TOKEN_KEY] = token
        sess["_user_id"] = str(user.id)
        sess["_fresh"] = True
