"""The mail worker: several at once never send a message twice; a refusing, unreachable or
missing server is retried, kept and reported in one line, never with a traceback."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from dossier import timeutil
from dossier.extensions import db
from dossier.notify import delivery, mail
from dossier.notify.models import Message
from dossier.notify.worker import run_worker
from tests import builders as b
from tests import smtp_server as smtp
from tests.smtp_server import SmtpServer

smtp_server, closed_port = smtp.smtp_server, smtp.closed_port  # fixtures
ROOT = Path(__file__).resolve().parent.parent


def _queue(n: int) -> list[int]:
    """n messages to distinct addresses (u0@…, u1@…), committed."""

    class Named:
        name = "Phòng Thử nghiệm"

    context = {"unit": Named(), "campaign": Named(), "dossier": None, "link": "/ho-so/1"}
    ids = []
    for i in range(n):
        msg = mail.enqueue(
            event="test", to_addr=f"u{i}@example.org", template="dossier_accepted", context=context
        )
        db.session.flush()
        ids.append(msg.id)
    db.session.commit()
    return ids


def _all() -> list[Message]:
    db.session.expire_all()
    return db.session.scalars(select(Message).order_by(Message.id)).all()


def _received(server) -> Counter:
    return Counter(addr for m in server.messages for addr in m.envelope_rcpt)


def _no_traceback(caplog) -> None:
    assert all(r.exc_info is None for r in caplog.records), "a traceback was logged"
    assert "Traceback" not in caplog.text


# --- several workers, one send each ------------------------------------------------------------


@pytest.mark.real_db
def test_two_workers_send_each_of_50_messages_exactly_once(app):
    server = SmtpServer(app, delay=0.01).start()  # slow enough for the two to overlap
    try:
        _queue(50)
        start = threading.Barrier(2)
        results: dict[str, tuple[int, int]] = {}

        def work(name: str) -> None:
            with app.app_context():
                start.wait()
                results[name] = run_worker(once=True, batch=5, worker=name)

        threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        server.stop()
    received = _received(server)
    assert len(received) == 50 and set(received.values()) == {1}, received.most_common(3)
    assert sum(sent for sent, _ in results.values()) == 50
    assert all(sent > 0 for sent, _ in results.values()), results  # both took part
    rows = _all()
    assert {(m.status, m.attempts, m.claimed_by) for m in rows} == {("sent", 1, None)}


def test_a_claim_is_a_workers_own_until_it_expires(app, smtp_server, caplog):
    ids = _queue(8)
    token_a, batch_a = delivery.claim(5, "a")
    token_b, batch_b = delivery.claim(5, "b")
    assert [m.id for m in batch_a] == ids[:5]
    assert [m.id for m in batch_b] == ids[5:]  # A's rows are not offered again
    assert delivery.claim(5, "c")[1] == []
    # A dies; after CLAIM_MINUTES its rows are free again, and A's late outcome is refused.
    timeutil.freeze(timeutil.now() + timedelta(minutes=delivery.CLAIM_MINUTES, seconds=1))
    token_c, batch_c = delivery.claim(10, "c")
    assert [m.id for m in batch_c] == ids  # B's claim expired too
    assert delivery._settle(token_a, ids[0], status="sent", sent_at=timeutil.now()) is False
    assert "claim expired" in caplog.text
    assert delivery._send_batch(token_c, batch_c, None) == (8, 0, True)
    assert len(smtp_server.messages) == 8


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL only")
@pytest.mark.real_db
def test_postgresql_claim_skips_rows_another_transaction_holds(app):
    ids = _queue(4)
    with db.engine.connect() as other:  # another worker, mid-claim: rows 1 and 2 locked
        other.execute(
            text("SELECT id FROM outbox_message WHERE id IN (:a, :b) FOR UPDATE"),
            {"a": ids[0], "b": ids[1]},
        )
        db.session.execute(text("SET LOCAL lock_timeout = '2s'"))  # fail, not hang, if it waits
        started = time.monotonic()
        _token, batch = delivery.claim(10, "skipper")
        assert time.monotonic() - started < 2  # no waiting on the lock
        assert [m.id for m in batch] == ids[2:]
        other.rollback()


@pytest.mark.real_db
def test_a_worker_process_beside_a_thread_and_a_clean_stop_on_sigterm(app, tmp_path):
    server = SmtpServer(app, delay=0.02).start()
    _queue(50)
    env = {
        "PYTHONUNBUFFERED": "1",
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-secret",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(server.port),
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "mail", "worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stop, in_process = threading.Event(), {}

    def work() -> None:
        with app.app_context():
            in_process["result"] = run_worker(poll=0.1, batch=5, stop=stop, worker="thread")

    thread = threading.Thread(target=work)
    try:
        started = process.stdout.readline()  # its signal handlers are in place now
        assert "bắt đầu" in started, started + process.stderr.read()
        thread.start()
        deadline = time.monotonic() + 90
        while len(server.messages) < 50 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # a double send would arrive now
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        stop.set()
        thread.join(30)
        if process.poll() is None:
            process.kill()
        server.stop()
    assert process.returncode == 0, err
    [line] = [x for x in out.splitlines() if x.startswith("Bộ gửi thư dừng")]
    by_process = int(line.split("đã gửi ")[1].split()[0])
    assert by_process > 0 and in_process["result"][0] > 0  # both took part
    assert by_process + in_process["result"][0] == 50
    assert "Traceback" not in err, err
    received = _received(server)
    assert len(received) == 50 and set(received.values()) == {1}
    assert {m.status for m in _all()} == {"sent"}


def test_a_stop_ends_the_batch_after_the_message_in_hand(app, smtp_server):
    _queue(6)
    stop = threading.Event()
    original = smtp_server.handler.handle_DATA

    async def stop_after_first(server, session, envelope):
        stop.set()  # SIGTERM arrives while the first message is being sent
        return await original(server, session, envelope)

    smtp_server.handler.handle_DATA = stop_after_first
    assert run_worker(once=False, batch=5, stop=stop) == (1, 0)
    rows = _all()
    assert [m.status for m in rows] == ["sent"] + ["queued"] * 5
    assert all(m.claimed_by is None and m.attempts == 0 for m in rows[1:])  # free at once


# --- servers that refuse, are unreachable, or are not configured ------------------------------


def test_refusing_server_retries_with_backoff_then_fails_keeping_the_error(app, caplog):
    server = SmtpServer(app, refuse="554 5.7.1 Message refused by policy").start()
    caplog.set_level(logging.WARNING)
    try:
        [message_id] = _queue(1)
        moment = timeutil.now()
        delays = []
        for _ in range(delivery.MAX_ATTEMPTS):
            assert run_worker(once=True) == (0, 1)
            msg = db.session.get(Message, message_id)
            if msg.next_attempt_at:
                assert run_worker(once=True) == (0, 0)  # not due before its back-off
                delays.append(round((msg.next_attempt_at - moment).total_seconds() / 60))
                moment = msg.next_attempt_at
                timeutil.freeze(moment)
            db.session.commit()
    finally:
        server.stop()
    assert delays == [1, 5, 15, 60]
    [msg] = _all()
    assert msg.status == "failed" and msg.attempts == 5 and msg.next_attempt_at is None
    assert "554" in msg.last_error and "refused by policy" in msg.last_error
    assert server.messages == []
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 5 and all("\n" not in r.getMessage() for r in warnings)
    _no_traceback(caplog)


def test_unreachable_server_one_line_per_run_and_the_batch_waits(app, closed_port, caplog):
    caplog.set_level(logging.WARNING)
    _queue(4)
    assert run_worker(once=True) == (0, 1)
    first, *rest = _all()
    assert first.attempts == 1 and "refused" in first.last_error.lower()
    assert all(m.attempts == 0 and m.next_attempt_at == first.next_attempt_at for m in rest)
    assert all(m.claimed_by is None for m in rest)
    assert len(caplog.records) == 1 and "not sent" in caplog.records[0].getMessage()
    _no_traceback(caplog)


def test_without_a_mail_server_messages_wait_and_nothing_is_tried(app, caplog):
    caplog.set_level(logging.WARNING)
    _queue(3)
    assert run_worker(once=True) == (0, 0)
    assert mail.deliver() == (0, 0)
    assert {(m.status, m.attempts, m.last_error) for m in _all()} == {("queued", 0, None)}
    assert caplog.records and all("MAIL_SERVER" in r.getMessage() for r in caplog.records)
    _no_traceback(caplog)
    if "mail" not in app.cli.commands:
        mail.register_cli(app)
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "Chưa cấu hình máy chủ thư" in result.output and "Đang chờ: 3 thư" in result.output
    result = app.test_cli_runner().invoke(args=["mail", "worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "đã gửi 0 thư" in result.output


def test_pages_never_send_even_with_mail_due(app, as_user, smtp_server):
    _queue(2)
    client = as_user(b.user())
    assert client.get("/").status_code == 200
    assert smtp_server.messages == []
    assert {m.attempts for m in _all()} == {0}
