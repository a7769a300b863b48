"""Sign-in: hashed passwords, throttling, CSRF, password change, safe redirects.

The limits themselves (per address, per account, known devices) are in test_login_limits.py,
the server-side sessions in test_sessions.py.
"""

from __future__ import annotations

from dossier.enums import Role
from dossier.extensions import db
from dossier.org.models import User
from tests import builders as b
from tests.conftest import csrf_from, login


def test_password_is_hashed_and_login_works(app, client):
    user = b.user(Role.OFFICE, username="vanphong", password="secret123")
    assert "secret123" not in user.password_hash
    resp = login(client, "vanphong")
    assert resp.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Xin chào" in home and user.display_name in home


def test_username_is_case_insensitive(app, client):
    b.user(username="vanphong")
    assert login(client, "VanPhong").status_code == 302


def test_wrong_password_gives_vietnamese_message_and_no_session(app, client):
    b.user(username="vanphong")
    resp = login(client, "vanphong", "wrong-password")
    assert resp.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in resp.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_failed_logins_are_throttled_then_unlock(app, client):
    from datetime import timedelta

    from dossier import timeutil

    b.user(username="vanphong")
    timeutil.freeze(timeutil.now())
    for _ in range(5):
        assert login(client, "vanphong", "nope-nope").status_code == 401
    resp = login(client, "vanphong")  # right password, but this address must wait now
    assert resp.status_code == 429
    assert "nhập sai mật khẩu nhiều lần" in resp.get_data(as_text=True)
    assert "thử lại sau" in resp.get_data(as_text=True)
    timeutil.freeze(timeutil.now() + timedelta(minutes=2))
    assert login(client, "vanphong").status_code == 302


def test_unknown_usernames_are_throttled_too(app, client):
    for _ in range(5):
        login(client, "ghost", "whatever1")
    resp = login(client, "ghost", "whatever1")
    assert resp.status_code == 429
    assert "nhập sai mật khẩu nhiều lần" in resp.get_data(as_text=True)


def test_forged_csrf_token_is_refused_in_vietnamese(app, client):
    b.user(username="vanphong")
    resp = client.post(
        "/dang-nhap", data={"csrf_token": "forged", "username": "vanphong", "password": "secret123"}
    )
    assert resp.status_code == 400
    assert "CSRF" in resp.get_data(as_text=True) and "tải lại trang" in resp.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_inactive_account_cannot_sign_in(app, client):
    user = b.user(username="old")
    user.active = False
    db.session.commit()
    assert "vô hiệu hóa" in login(client, "old").get_data(as_text=True)


def test_open_redirect_is_refused(app, client):
    b.user(username="vanphong")
    page = client.get("/dang-nhap").get_data(as_text=True)
    resp = client.post(
        "/dang-nhap?next=//evil.example/x",
        data={"csrf_token": csrf_from(page), "username": "vanphong", "password": "secret123"},
    )
    assert resp.headers["Location"] == "/"


def test_password_change_ends_other_sessions(app, as_user):
    user = b.user(username="vanphong")
    first, second = as_user(user), as_user(user)
    resp = first.post(
        "/tai-khoan/mat-khau",
        {"current": "secret123", "new": "newsecret9", "confirm": "newsecret9"},
    )
    assert resp.status_code == 302
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302  # the other session is gone
    assert db.session.get(User, user.id).check_password("newsecret9")


def test_password_change_errors_are_clear(app, as_user):
    client = as_user(b.user())
    resp = client.post(
        "/tai-khoan/mat-khau",
        {"current": "wrong-one", "new": "newsecret9", "confirm": "newsecret9"},
    )
    assert "Mật khẩu hiện tại không đúng." in resp.get_data(as_text=True)
    resp = client.post(
        "/tai-khoan/mat-khau", {"current": "secret123", "new": "short", "confirm": "short"}
    )
    assert "Phải có ít nhất 8 ký tự." in resp.get_data(
        as_text=True
    ) or "Độ dài phải từ 8" in resp.get_data(as_text=True)
    resp = client.post(
        "/tai-khoan/mat-khau",
        {"current": "secret123", "new": "newsecret9", "confirm": "different9"},
    )
    assert "không khớp" in resp.get_data(as_text=True)


def test_logout_is_a_post(app, as_user):
    client = as_user(b.user())
    assert client.get("/dang-xuat").status_code == 405
    assert client.post("/dang-xuat").status_code == 302
    assert client.get("/").status_code == 302


def test_session_cookie_flags(app, client):
    b.user(username="vanphong")
    app.config["SESSION_COOKIE_SECURE"] = True
    resp = login(client, "vanphong")
    cookie = resp.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie
