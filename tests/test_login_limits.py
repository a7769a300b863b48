"""Sign-in limits (dossier/throttle.py): a stranger's failures never lock the real user out.

Client addresses come from the test client's REMOTE_ADDR; the clock is frozen so that no
limit window rolls over in the middle of a test.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dossier import timeutil
from dossier.extensions import db
from dossier.throttle import DEVICE_COOKIE, RateLimitCounter
from tests import builders as b
from tests.conftest import csrf_from, login

HOME, STRANGER, ELSEWHERE = "10.0.0.5", "198.51.100.7", "192.0.2.44"


@pytest.fixture(autouse=True)
def _still_clock(app):
    timeutil.freeze(timeutil.now())


def browser(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def sign_out(client) -> None:
    token = csrf_from(client.get("/").get_data(as_text=True))
    assert client.post("/dang-xuat", data={"csrf_token": token}).status_code == 302


def _limited(resp) -> bool:
    text = resp.get_data(as_text=True)
    return resp.status_code == 429 and "Vui lòng thử lại sau" in text


def test_one_address_trying_many_users_is_limited(app):
    users = [b.user(username=f"canbo{i}") for i in range(10)]
    attacker = browser(app, STRANGER)
    answers = [login(attacker, users[i % 10].username, "wrong-pass").status_code for i in range(20)]
    assert answers[:10] == [401] * 10
    assert answers[10:] == [429] * 10
    resp = login(attacker, "canbo3")  # even the right password: this address waits
    assert _limited(resp)
    assert "Có quá nhiều lần đăng nhập sai" in resp.get_data(as_text=True)
    assert 1 <= int(resp.headers["Retry-After"]) <= 61
    # Nobody else is stopped: the same accounts sign in from their own addresses.
    assert login(browser(app, HOME), "canbo3").status_code == 302
    assert login(browser(app, ELSEWHERE), "canbo7").status_code == 302


def test_limits_grow_with_persistence(app):
    b.user(username="vanphong")
    attacker = browser(app, STRANGER)
    moment = timeutil.now()
    for minute in range(3):  # 10 failures a minute, three minutes running: 30 in the hour
        timeutil.freeze(moment + timedelta(minutes=2 * minute))
        for i in range(10):
            assert login(attacker, f"ten{minute}x{i}", "wrong-pass").status_code == 401
    timeutil.freeze(moment + timedelta(minutes=10))  # the minute is over, the hour is not
    resp = login(attacker, "vanphong")
    assert _limited(resp)
    assert int(resp.headers["Retry-After"]) > 40 * 60
    assert "phút" in resp.get_data(as_text=True)
    timeutil.freeze(moment + timedelta(minutes=61))
    assert login(attacker, "vanphong").status_code == 302


def test_locked_account_still_signs_in_from_another_address(app):
    b.user(username="giamdoc")
    stranger = browser(app, STRANGER)
    for _ in range(5):
        assert login(stranger, "giamdoc", "guess-guess").status_code == 401
    resp = login(stranger, "giamdoc")
    assert _limited(resp)
    assert "Tài khoản này đã bị nhập sai mật khẩu nhiều lần" in resp.get_data(as_text=True)
    # The Director, at their own desk, signs in at once (no device cookie needed).
    assert login(browser(app, HOME), "giamdoc").status_code == 302
    # The stranger's address may still try other names: only this pair is stopped.
    assert login(stranger, "someone-else", "guess-guess").status_code == 401


def test_many_addresses_guessing_one_account_do_not_stop_its_known_device(app):
    b.user(username="giamdoc")
    own = browser(app, HOME)
    assert login(own, "giamdoc").status_code == 302  # an earlier sign-in: a known device
    assert own.get_cookie(DEVICE_COOKIE, path="/dang-nhap") is not None
    sign_out(own)
    for n in range(20):  # a botnet: one guess from each of 20 addresses
        assert login(browser(app, f"172.16.0.{n + 1}"), "giamdoc", "guess-guess").status_code == 401
    resp = login(browser(app, "172.16.1.1"), "giamdoc")  # a new address, right password
    assert _limited(resp)
    assert "máy đã đăng nhập thành công trước đây" in resp.get_data(as_text=True)
    assert login(own, "giamdoc").status_code == 302  # the Director's own machine


def test_a_stranger_at_the_same_address_does_not_stop_the_known_device(app):
    b.user(username="giamdoc")
    own = browser(app, HOME)
    assert login(own, "giamdoc").status_code == 302
    sign_out(own)
    colleague = browser(app, HOME)  # the same office address (NAT), another browser
    for i in range(12):
        login(colleague, "giamdoc" if i % 2 else f"ai{i}", "guess-guess")
    assert _limited(login(colleague, "giamdoc"))
    assert login(own, "giamdoc").status_code == 302


def test_a_known_device_has_its_own_budget(app):
    b.user(username="giamdoc")
    own = browser(app, HOME)
    login(own, "giamdoc")
    sign_out(own)
    for _ in range(5):
        assert login(own, "giamdoc", "typo-typo").status_code == 401
    assert _limited(login(own, "giamdoc"))  # a stolen device cookie does not guess forever
    assert login(browser(app, ELSEWHERE), "giamdoc").status_code == 302


def test_a_forged_or_foreign_device_cookie_counts_as_unknown(app):
    b.user(username="giamdoc")
    b.user(username="vanphong")
    mine = browser(app, HOME)
    login(mine, "vanphong")  # a known device of vanphong, not of giamdoc
    sign_out(mine)
    forged = browser(app, STRANGER)
    forged.set_cookie(DEVICE_COOKIE, "W1siZ2lhbWRvYyIsIngiXV0.forged.sig", path="/dang-nhap")
    for client in (mine, forged):
        for _ in range(5):
            login(client, "giamdoc", "guess-guess")
        assert _limited(login(client, "giamdoc"))


def test_known_and_unknown_names_cost_the_same_hashing(app, monkeypatch):
    from dossier.org import models

    real = models.check_password_hash
    methods: list[str] = []

    def counting(pwhash: str, password: str) -> bool:
        methods.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(models, "check_password_hash", counting)
    user = b.user(username="vanphong")
    disabled = b.user(username="nghiviec")
    disabled.active = False
    db.session.commit()
    client = browser(app, STRANGER)
    answers = {}
    for name in ("vanphong", "khongco", "nghiviec"):
        methods.clear()
        resp = login(client, name, "wrong-pass")
        answers[name] = (resp.status_code, list(methods))
    configured = user.password_hash.split("$", 1)[0]
    assert configured == "pbkdf2:sha256:1000"
    for status, used in answers.values():
        assert (status, used) == (401, [configured])
    known = login(client, "vanphong", "wrong-pass").get_data(as_text=True)
    unknown = login(client, "khongco", "wrong-pass").get_data(as_text=True)
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in known
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in unknown


def test_guessed_names_leave_nothing_behind(app):
    assert "login_throttle" not in db.metadata.tables
    names = [f"doan.ten{i}" for i in range(30)]
    for i, name in enumerate(names):  # 10 names from each of 3 addresses
        login(browser(app, f"10.9.0.{i % 3}"), name, "wrong-pass")
    rows = db.session.scalars(select(RateLimitCounter)).all()
    assert rows and all(len(row.key_hash) == 64 for row in rows)
    assert not any(name in row.key_hash for row in rows for name in names)  # hashes only
    timeutil.freeze(timeutil.now() + timedelta(days=1, minutes=1))
    login(browser(app, "10.9.0.9"), "mot.ten.nua", "wrong-pass")
    db.session.expire_all()
    # Every earlier window has expired and is gone; only the last failure's windows remain:
    # 3 for its address, 3 for the pair, 2 for the account.
    assert db.session.scalar(select(func.count()).select_from(RateLimitCounter)) == 8


def test_dead_mail_links_are_limited_per_address_in_vietnamese(app):
    prober = browser(app, STRANGER)
    for i in range(10):
        assert prober.get(f"/thu/doan-bua-{i}").status_code == 410
    resp = prober.get("/thu/doan-bua-10")
    assert _limited(resp)
    assert "Có quá nhiều lần đăng nhập sai hoặc liên kết sai" in resp.get_data(as_text=True)
    assert int(resp.headers["Retry-After"]) >= 1
    token = csrf_from(prober.get("/dang-nhap").get_data(as_text=True))
    assert _limited(prober.post("/thu/doan-bua-11", data={"csrf_token": token}))
    assert _limited(prober.get("/thu/doan-bua-12/du-thao.pdf"))
    assert browser(app, ELSEWHERE).get("/thu/doan-bua-0").status_code == 410


def test_failed_sign_ins_and_dead_links_share_the_address_budget(app):
    prober = browser(app, STRANGER)
    for i in range(5):
        login(prober, f"ai{i}", "wrong-pass")
        prober.get(f"/thu/doan-bua-{i}")
    assert _limited(prober.get("/thu/doan-bua-x"))
    assert _limited(login(prober, "ai-nua", "wrong-pass"))


def test_public_signature_check_is_limited_per_address(app, as_user):
    def upload(client):
        token = csrf_from(client.get("/quyet-dinh/kiem-tra").get_data(as_text=True))
        return client.post(
            "/quyet-dinh/kiem-tra",
            data={"csrf_token": token, "file": (io.BytesIO(b"not a pdf at all"), "qd.pdf")},
            content_type="multipart/form-data",
        )

    anyone = browser(app, STRANGER)
    for _ in range(10):
        assert "không phải PDF" in upload(anyone).get_data(as_text=True)
    resp = upload(anyone)
    assert _limited(resp)
    assert "quá nhiều tệp" in resp.get_data(as_text=True)
    assert anyone.get("/quyet-dinh/kiem-tra").status_code == 200  # reading the page is free
    assert upload(browser(app, ELSEWHERE)).status_code == 200
    staff = as_user(b.user(username="vanphong")).client  # signed-in staff are not strangers
    for _ in range(12):
        assert upload(staff).status_code == 200


def test_database_counters_restart_after_their_window(app):
    from dossier.throttle import DatabaseStorage

    store = DatabaseStorage("database://")
    assert [store.incr("k", 60), store.incr("k", 60)] == [1, 2]
    assert store.get("k") == 2
    assert store.get_expiry("k") == pytest.approx(timeutil.now().timestamp() + 60)
    timeutil.freeze(timeutil.now() + timedelta(seconds=61))
    assert store.get("k") == 0
    assert store.incr("k", 60) == 1  # the old window is over: a new one starts
    assert store.get_expiry("k") == pytest.approx(timeutil.now().timestamp() + 60)


def test_expired_windows_are_swept_when_a_window_begins(app):
    """A count that goes on is one statement; a window that begins sweeps the expired ones,
    so they never pile up whatever the keys and the clock do."""
    from sqlalchemy import event

    from dossier.throttle import DatabaseStorage

    store = DatabaseStorage("database://")
    for i in range(20):
        store.incr(f"old{i}", 60)
    timeutil.freeze(timeutil.now() + timedelta(seconds=61))
    store.incr("live", 3600)  # a window begins: the 20 expired ones go
    assert db.session.scalar(select(func.count()).select_from(RateLimitCounter)) == 1
    sent = []

    def seen(conn, cursor, statement, *args):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert store.incr("live", 3600) == 2
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    writes = [st for st in sent if st.lstrip().upper().startswith(("INSERT", "DELETE", "UPDATE"))]
    assert len(writes) == 1, writes


@pytest.mark.real_db
def test_database_counters_hold_across_servers(app):
    """Two app servers (threads, each with its own connection) count into one window."""
    import threading

    from dossier.throttle import DatabaseStorage

    store, counts, errors = DatabaseStorage("database://"), [], []

    def server():
        try:
            with app.app_context():
                counts.extend(store.incr("shared", 3600) for _ in range(15))
                db.session.remove()
        except Exception as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=server) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(counts) == list(range(1, 31))  # every increment seen once, none lost
    assert store.get("shared") == 30
