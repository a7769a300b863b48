"""Server-side sessions: sign-in starts one, sign-out ends it, and a saved cookie is refused.

A copy of the session cookie taken while signed in plays the attacker who saved it.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from dossier import timeutil
from dossier.audit import AuditEvent
from dossier.extensions import db
from dossier.org.models import UserSession
from tests import builders as b
from tests.conftest import csrf_from, login


def _saved_cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str):
    """Another browser that presents the saved cookie."""
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    other.set_cookie("session", cookie)
    return other


def _refused(resp) -> bool:
    return resp.status_code == 302 and "/dang-nhap" in resp.headers["Location"]


def _sessions() -> int:
    return db.session.scalar(select(func.count()).select_from(UserSession))


def test_replayed_cookie_after_logout_is_refused(app, as_user):
    signed = as_user(b.user(username="vanphong"))
    saved = _saved_cookie(signed.client)
    assert _replay(app, saved).get("/").status_code == 200  # the copy works while it lives
    assert _sessions() == 1
    resp = signed.post("/dang-xuat")
    assert _refused(resp)
    assert _sessions() == 0
    assert _refused(_replay(app, saved).get("/"))
    assert _refused(signed.get("/"))


def test_only_the_token_hash_is_stored(app, as_user):
    signed = as_user(b.user(username="vanphong"))
    data = app.session_interface.get_signing_serializer(app).loads(_saved_cookie(signed.client))
    token = data["sid"]
    stored = db.session.scalars(select(UserSession.token_hash)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    assert token not in stored


def test_sign_out_everywhere_ends_every_session(app, as_user):
    user = b.user(username="vanphong")
    first, second = as_user(user), as_user(user)
    other = as_user(b.user(username="khac"))
    saved_first, saved_second = _saved_cookie(first.client), _saved_cookie(second.client)
    page = second.get("/tai-khoan/mat-khau").get_data(as_text=True)
    assert "đăng nhập ở 2 nơi" in page and "Đăng xuất khỏi mọi thiết bị" in page
    resp = second.post("/dang-xuat/moi-thiet-bi", page="/tai-khoan/mat-khau")
    assert _refused(resp)
    assert "Đã đăng xuất khỏi mọi thiết bị (2 phiên" in second.get("/dang-nhap").get_data(
        as_text=True
    )
    for cookie in (saved_first, saved_second):
        assert _refused(_replay(app, cookie).get("/"))
    assert _refused(first.get("/"))
    assert other.get("/").status_code == 200  # another account's session is untouched
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "signed_out_everywhere")
    ).one()
    assert event.actor_id == user.id


def test_sign_out_everywhere_needs_a_post_with_csrf(app, as_user):
    signed = as_user(b.user(username="vanphong"))
    assert signed.get("/dang-xuat/moi-thiet-bi").status_code == 405
    assert signed.client.post("/dang-xuat/moi-thiet-bi").status_code == 400
    assert signed.get("/").status_code == 200


def test_password_change_ends_other_sessions_but_keeps_this_one(app, as_user):
    user = b.user(username="vanphong")
    changer, elsewhere = as_user(user), as_user(user)
    saved_changer, saved_elsewhere = _saved_cookie(changer.client), _saved_cookie(elsewhere.client)
    resp = changer.post(
        "/tai-khoan/mat-khau",
        {"current": "secret123", "new": "newsecret9", "confirm": "newsecret9"},
        page="/tai-khoan/mat-khau",
    )
    assert resp.status_code == 302
    assert changer.get("/").status_code == 200
    assert _replay(app, saved_changer).get("/").status_code == 200  # still this session
    assert _refused(elsewhere.get("/"))
    assert _refused(_replay(app, saved_elsewhere).get("/"))
    assert _sessions() == 1


def test_admin_setting_a_password_or_disabling_ends_the_accounts_sessions(app, as_user):
    from dossier.enums import Role

    admin = as_user(b.user(Role.ADMIN, username="quantri"))

    def save(target, **changes):
        url = f"/quan-tri/tai-khoan/{target.id}"
        form = {"username": target.username, "staff_id": str(target.staff_id), "active": "y"}
        form.update(changes)
        form = {k: v for k, v in form.items() if v is not None}
        assert admin.post(url, form, page=url).status_code == 302

    reset = b.user(username="vanphong")
    saved = _saved_cookie(as_user(reset).client)
    save(reset, password="adminset99")
    assert _refused(_replay(app, saved).get("/"))

    disabled = b.user(username="nghiviec")
    saved = _saved_cookie(as_user(disabled).client)
    save(disabled, active=None)
    save(disabled)  # enabled again: the old session stays ended
    assert _refused(_replay(app, saved).get("/"))
    assert admin.get("/").status_code == 200


def test_csrf_token_is_new_after_sign_in(app, client):
    b.user(username="vanphong")
    before = csrf_from(client.get("/dang-nhap").get_data(as_text=True))
    resp = client.post(
        "/dang-nhap", data={"csrf_token": before, "username": "vanphong", "password": "secret123"}
    )
    assert resp.status_code == 302
    after = csrf_from(client.get("/").get_data(as_text=True))
    raw = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
    assert raw.loads(before) != raw.loads(after)
    # A token planted or read before sign-in is worthless afterwards.
    assert client.post("/dang-xuat", data={"csrf_token": before}).status_code == 400
    assert client.post("/dang-xuat", data={"csrf_token": after}).status_code == 302


@pytest.mark.real_db
def test_idle_session_expires_with_a_vietnamese_message(app, as_user):
    start = timeutil.now()
    timeutil.freeze(start)
    signed = as_user(b.user(username="vanphong"))
    saved = _saved_cookie(signed.client)
    moment = start
    for _ in range(3):  # active at just under the idle limit: stays signed in
        moment += timedelta(minutes=479)
        timeutil.freeze(moment)
        assert signed.get("/").status_code == 200
    timeutil.freeze(moment + timedelta(minutes=481))
    resp = signed.get("/ho-so/")
    assert _refused(resp)
    assert "Phiên làm việc đã hết hạn" in signed.get(resp.headers["Location"]).get_data(
        as_text=True
    )
    assert _refused(_replay(app, saved).get("/"))


@pytest.mark.real_db
def test_absolute_lifetime_ends_even_an_active_session(app, as_user):
    start = timeutil.now()
    timeutil.freeze(start)
    signed = as_user(b.user(username="vanphong"))
    for hours in range(7, 168, 7):  # seen every 7 hours, never idle for 8
        timeutil.freeze(start + timedelta(hours=hours))
        assert signed.get("/").status_code == 200, hours
    timeutil.freeze(start + timedelta(hours=168, minutes=1))
    resp = signed.get("/")
    assert _refused(resp)
    assert "Phiên làm việc đã hết hạn" in signed.get("/dang-nhap").get_data(as_text=True)


@pytest.mark.real_db
def test_lifetimes_are_settings(app, as_user):
    app.config.update(SESSION_IDLE_MINUTES=5, SESSION_ABSOLUTE_HOURS=1)
    start = timeutil.now()
    timeutil.freeze(start)
    signed = as_user(b.user(username="vanphong"))
    timeutil.freeze(start + timedelta(minutes=4))
    assert signed.get("/").status_code == 200
    timeutil.freeze(start + timedelta(minutes=10))
    assert _refused(signed.get("/"))
    login(signed.client, "vanphong")  # at minute 10; seen every 4 minutes from then on
    for minute in range(14, 70, 4):
        timeutil.freeze(start + timedelta(minutes=minute))
        assert signed.get("/").status_code == 200, minute
    timeutil.freeze(start + timedelta(minutes=71))  # idle 5 minutes, but an hour has passed
    assert _refused(signed.get("/"))


@pytest.mark.real_db
def test_pages_write_last_seen_at_most_once_a_minute(app, as_user):
    start = timeutil.now()
    timeutil.freeze(start)
    signed = as_user(b.user(username="vanphong"))

    def last_seen():
        db.session.expire_all()
        return db.session.scalars(select(UserSession.last_seen_at)).one()

    timeutil.freeze(start + timedelta(seconds=30))
    signed.get("/")
    assert last_seen() == start
    timeutil.freeze(start + timedelta(seconds=61))
    signed.get("/")
    assert last_seen() == start + timedelta(seconds=61)


def test_expired_sessions_are_purged_at_the_next_sign_in(app):
    start = timeutil.now()
    timeutil.freeze(start)
    for username in ("vanphong", "khac"):
        b.user(username=username)
        assert login(app.test_client(), username).status_code == 302
    assert _sessions() == 2
    timeutil.freeze(start + timedelta(hours=9))
    b.user(username="thuba")
    assert login(app.test_client(), "thuba").status_code == 302
    assert _sessions() == 1
