"""E-mail: queued with the act, delivered later by the worker through a real SMTP server."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dossier import timeutil
from dossier.enums import Role
from dossier.extensions import db
from dossier.nominations.models import Dossier
from dossier.notify import mail
from dossier.notify.models import Message
from dossier.notify.worker import run_worker
from tests import builders as b
from tests import dossier_builders as db_
from tests import smtp_server as smtp
from tests.council_builders import meeting
from tests.intake_builders import submitted
from tests.smtp_server import SmtpServer, html_of, text_of

smtp_server, closed_port = smtp.smtp_server, smtp.closed_port  # fixtures

REASON = "Biên bản họp thiếu chữ ký của thư ký."


def _return_by_request(as_user):
    c = db_.campaign()
    d, head = submitted(c, [("Ngô Thị Yến", "LDTT")])
    office = b.user(Role.OFFICE)
    client = as_user(office)
    token = client.token(f"/ho-so/{d.id}")
    resp = client.client.post(
        f"/ho-so/{d.id}/thao-tac/return_for_revision",
        data={
            "csrf_token": token,
            "version": d.version,
            "fix_target": "0",
            "fix_component": "minutes",
            "fix_reason": REASON,
        },
    )
    assert resp.status_code == 302
    return d, head


def _messages(**where):
    query = select(Message).order_by(Message.id)
    for key, value in where.items():
        query = query.where(getattr(Message, key) == value)
    return db.session.scalars(query).all()


def test_returned_dossier_mails_the_unit_head_through_real_smtp(app, as_user, smtp_server):
    d, head = _return_by_request(as_user)
    assert run_worker(once=True) == (1, 0)
    got = smtp_server.handler.to(head.email)
    assert len(got) == 1, [m["Subject"] for m in smtp_server.messages]
    msg = got[0]
    assert msg["Subject"] == f"Hồ sơ của {d.unit.name} được trả lại để bổ sung"
    assert msg["From"] == app.config["MAIL_SENDER"]
    body = text_of(msg)
    assert f"Kính gửi {head.display_name}" in body
    assert REASON in body and "Biên bản họp" in body
    assert f"/ho-so/{d.id}" in body
    assert REASON in html_of(msg)
    [stored] = _messages(event="dossier_returned")
    assert stored.status == "sent" and stored.sent_at is not None and stored.attempts == 1


def test_unreachable_server_keeps_the_act_and_retries_later(app, as_user, closed_port):
    d, head = _return_by_request(as_user)
    assert run_worker(once=True) == (0, 1)
    db.session.expire_all()
    assert db.session.get(Dossier, d.id).state == "returned"  # the act committed
    [msg] = _messages(event="dossier_returned")
    assert msg.status == "queued" and msg.attempts == 1 and msg.sent_at is None
    assert msg.last_error
    assert msg.next_attempt_at > timeutil.now() + timedelta(seconds=50)

    server = SmtpServer(app).start()
    try:
        assert mail.deliver() == (0, 0)  # not due yet: the back-off is honoured
        timeutil.freeze(timeutil.now() + timedelta(minutes=2))
        assert mail.deliver() == (1, 0)
    finally:
        server.stop()
    db.session.expire_all()
    msg = db.session.get(Message, msg.id)
    assert msg.status == "sent" and msg.attempts == 2
    assert len(server.handler.to(head.email)) == 1


def test_five_failures_give_up(app, closed_port):
    user = b.user()
    mail.enqueue(
        event="test", to_user=user, template="dossier_accepted", context=_accepted_context()
    )
    db.session.commit()
    moment = timeutil.now()
    delays = []
    for _ in range(5):
        assert mail.deliver() == (0, 1)
        msg = db.session.scalars(select(Message)).one()
        if msg.next_attempt_at:
            delays.append(round((msg.next_attempt_at - moment).total_seconds() / 60))
            moment = msg.next_attempt_at
            timeutil.freeze(moment)
    assert delays == [1, 5, 15, 60]
    assert msg.status == "failed" and msg.attempts == 5
    assert mail.deliver() == (0, 0)


def _accepted_context():
    class Named:
        name = "Phòng Thử nghiệm"

    return {"unit": Named(), "campaign": Named(), "dossier": None, "link": "/ho-so/1"}


def test_dedup_key_queues_one_message(app):
    user = b.user()
    kwargs = dict(
        event="reminder",
        to_user=user,
        template="dossier_accepted",
        context=_accepted_context(),
        dedup_key="reminder:1:2026-11-23",
    )
    assert mail.enqueue(**kwargs) is not None
    assert mail.enqueue(**kwargs) is None  # same transaction
    db.session.commit()
    assert mail.enqueue(**kwargs) is None  # already committed
    db.session.commit()
    assert len(_messages(event="reminder")) == 1


def test_user_without_email_is_skipped(app):
    user = b.user()
    user.email = None
    assert (
        mail.enqueue(
            event="x", to_user=user, template="dossier_accepted", context=_accepted_context()
        )
        is None
    )
    assert _messages() == []


def test_invalid_address_fails_at_once_with_a_clear_error(app, smtp_server):
    mail.enqueue(
        event="x",
        to_addr="khong-co-a-cong",
        template="dossier_accepted",
        context=_accepted_context(),
    )
    db.session.commit()
    assert mail.deliver() == (0, 1)
    [msg] = _messages()
    assert msg.status == "failed" and "không hợp lệ" in msg.last_error
    assert smtp_server.messages == []


def test_subject_and_html_are_rendered(app):
    user = b.user()
    msg = mail.enqueue(
        event="x", to_user=user, template="dossier_accepted", context=_accepted_context()
    )
    assert msg.subject == "Hồ sơ của Phòng Thử nghiệm đã được tiếp nhận"
    assert not msg.body_text.startswith("Subject")
    assert '<a href="/ho-so/1">' in msg.body_html and "Kính gửi" in msg.body_html


def test_closed_vote_tells_every_member_the_result(app, smtp_server):
    from dossier.council import operations as council_ops

    m, _d, chair, secretary, members = meeting(present=12, size=12)
    council_ops.close_vote(chair, m, version=m.version)
    db.session.commit()
    sent, failed = mail.deliver()
    assert failed == 0 and sent >= 12
    results = [x for x in smtp_server.messages if x["Subject"].startswith("Kết quả biểu quyết")]
    assert {x["To"] for x in results} == {u.email for u in (chair, secretary, *members)}
    body = text_of(results[0])
    total = len(m.results)
    passed = sum(r.passed for r in m.results)
    assert f"Kết quả: {passed}/{total} trường hợp đạt" in body
    assert f"/hoi-dong/{m.id}" in body
    opened = [x for x in smtp_server.messages if x["Subject"].startswith("Hội đồng đã mở")]
    assert len(opened) == 12


def test_a_request_never_talks_smtp(app, as_user, smtp_server):
    _return_by_request(as_user)  # a server is up and the message is due: still not sent
    assert smtp_server.messages == []
    [msg] = _messages(event="dossier_returned")
    assert msg.status == "queued" and msg.attempts == 0
    assert mail.deliver() == (1, 0)


def test_accept_mails_heads_and_clerks(app):
    c = db_.campaign()
    d, head = submitted(c, [("Ngô Thị Yến", "LDTT")])
    clerk = b.user(Role.UNIT_CLERK, unit_obj=d.unit)
    b.user(Role.UNIT_HEAD)  # another unit's head: not told
    from dossier.nominations import operations as ops

    ops.accept(b.user(Role.OFFICE), d, version=d.version)
    assert {m.to_addr for m in _messages(event="dossier_accepted")} == {head.email, clerk.email}


def test_cli_sends(app, smtp_server):
    user = b.user()
    mail.enqueue(event="x", to_user=user, template="dossier_accepted", context=_accepted_context())
    db.session.commit()
    if "mail" not in app.cli.commands:
        mail.register_cli(app)
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "Đã gửi 1 thư" in result.output, result.output
    assert len(smtp_server.messages) == 1
