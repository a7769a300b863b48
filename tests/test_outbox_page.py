"""Quản trị › Hộp thư đi: counts, filters, newest first, "Gửi lại" (audited), the banner
without a mail server, and never an action link's token on the page."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from dossier import timeutil
from dossier.audit import AuditEvent
from dossier.enums import Role
from dossier.extensions import db
from dossier.notify import delivery, mail
from dossier.notify.models import Message
from tests import builders as b
from tests import smtp_server as smtp
from tests.council_builders import meeting

smtp_server, closed_port = smtp.smtp_server, smtp.closed_port  # fixtures
URL = "/quan-tri/hop-thu-di"
TOKEN = re.compile(r"/thu/([A-Za-z0-9_-]{20,})")


class _Named:
    name = "Phòng Thử nghiệm"


def _queue(n: int, **values) -> list[Message]:
    context = {"unit": _Named(), "campaign": _Named(), "dossier": None, "link": "/ho-so/1"}
    messages = [
        mail.enqueue(
            event="dossier_accepted",
            to_addr=f"nguoi{i}@example.org",
            template="dossier_accepted",
            context=context,
        )
        for i in range(n)
    ]
    for m in messages:
        for key, value in values.items():
            setattr(m, key, value)
    db.session.commit()
    return messages


def _admin(as_user):
    return as_user(b.user(Role.ADMIN))


def _count(page: str, status: str) -> int:
    return int(re.search(rf'data-testid="count-{status}">(\d+)<', page).group(1))


def test_admin_sees_counts_rows_and_the_unconfigured_banner(app, as_user):
    _queue(2)
    _queue(1, status="failed", attempts=5, last_error="Connection refused")
    _queue(1, status="sent", attempts=1, sent_at=timeutil.now())
    page = _admin(as_user).get(URL).get_data(as_text=True)
    assert "Chưa cấu hình máy chủ thư: thư được giữ trong hộp thư đi" in page
    assert 'data-testid="outbox-unconfigured"' in page
    assert (_count(page, "queued"), _count(page, "sent"), _count(page, "failed")) == (2, 1, 1)
    assert "Connection refused" in page and "Hồ sơ được tiếp nhận" in page
    assert "nguoi0@example.org" in page and "đến hạn" in page
    assert "Gửi lại mọi thư gửi lỗi (1)" in page
    assert page.count(">Gửi lại</button>") == 3  # the sent one has no button
    # newest first
    assert page.index('data-testid="outbox-row-4"') < page.index('data-testid="outbox-row-1"')


def test_with_a_server_the_page_names_it_and_no_banner(app, as_user, smtp_server):
    page = _admin(as_user).get(URL).get_data(as_text=True)
    assert f"Máy chủ thư: 127.0.0.1:{smtp_server.port}" in page
    assert "outbox-unconfigured" not in page


def test_only_the_administrator_may_see_or_retry(app, as_user):
    [m] = _queue(1, status="failed", attempts=5)
    for role in (Role.OFFICE, Role.UNIT_HEAD, Role.DIRECTOR, None):
        client = as_user(b.user(role))
        assert client.get(URL).status_code == 403
        assert client.post(f"{URL}/{m.id}/gui-lai").status_code == 403
        assert client.post(f"{URL}/gui-lai-thu-loi").status_code == 403
    db.session.expire_all()
    assert db.session.get(Message, m.id).status == "failed"


def test_filter_by_status_and_paginate(app, as_user):
    _queue(55)
    _queue(2, status="failed", attempts=5, last_error="550 No such user")
    client = _admin(as_user)
    failed = client.get(f"{URL}?status=failed").get_data(as_text=True)
    assert failed.count('data-testid="outbox-row-') == 2 and "550 No such user" in failed
    first = client.get(URL).get_data(as_text=True)
    assert first.count('data-testid="outbox-row-') == 50 and "outbox-row-57" in first
    second = client.get(f"{URL}?page=2").get_data(as_text=True)
    assert second.count('data-testid="outbox-row-') == 7 and 'outbox-row-1"' in second
    queued_2 = client.get(f"{URL}?status=queued&page=2").get_data(as_text=True)
    assert queued_2.count('data-testid="outbox-row-') == 5
    odd = client.get(f"{URL}?status=hack'd")
    assert odd.status_code == 200 and "Trạng thái lọc không hợp lệ" in odd.get_data(as_text=True)


def test_retry_makes_a_failed_message_due_now_and_is_audited(app, as_user, closed_port):
    [m] = _queue(1, status="failed", attempts=5, last_error="Connection refused")
    client = _admin(as_user)
    resp = client.post(f"{URL}/{m.id}/gui-lai", data={"status": "failed", "page": "1"}, page=URL)
    assert resp.status_code == 302 and resp.headers["Location"].endswith(
        f"{URL}?status=failed&page=1"
    )
    db.session.expire_all()
    m = db.session.get(Message, m.id)
    assert (m.status, m.next_attempt_at, m.attempts) == ("queued", None, 5)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mail_retry")).one()
    assert event.object_type == "outbox_message" and event.object_id == m.id
    assert "nguoi0@example.org" in event.comment and client.client.get(URL).status_code == 200
    # one more attempt, by the worker, not by the request: it fails again and stays failed
    assert delivery.deliver() == (0, 1)
    db.session.expire_all()
    assert db.session.get(Message, m.id).status == "failed"


def test_retry_all_failed(app, as_user):
    _queue(3, status="failed", attempts=5)
    _queue(1)
    client = _admin(as_user)
    resp = client.post(f"{URL}/gui-lai-thu-loi", page=URL, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "Đã đưa 3 thư gửi lỗi vào hàng đợi" in html and "Chưa cấu hình máy chủ thư" in html
    db.session.expire_all()
    assert {m.status for m in db.session.scalars(select(Message))} == {"queued"}
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mail_retry_failed"))
    assert "3 thư" in event.comment


def test_retry_refuses_a_sent_or_claimed_message(app, as_user):
    sent, claimed = _queue(2)
    sent.status, sent.sent_at, sent.attempts = "sent", timeutil.now(), 1
    db.session.commit()
    token, batch = delivery.claim(5, "busy")
    assert [x.id for x in batch] == [claimed.id]
    client = _admin(as_user)
    html = client.post(f"{URL}/{sent.id}/gui-lai", page=URL, follow_redirects=True).get_data(
        as_text=True
    )
    assert "Thư đã gửi đi; không gửi lại." in html
    page = client.post(f"{URL}/{claimed.id}/gui-lai", page=URL, follow_redirects=True)
    assert "đang được bộ gửi thư gửi đi" in page.get_data(as_text=True)
    assert "Đang gửi" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Message, claimed.id).claimed_by == token  # untouched
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mail_retry")).all() == []
    )
    assert client.client.post(f"{URL}/{claimed.id}/gui-lai").status_code == 400  # no CSRF
    assert client.post(f"{URL}/999/gui-lai", page=URL).status_code == 404


def test_the_page_never_shows_an_action_links_token(app, as_user):
    meeting(present=3, size=3)  # "vote opened" mail carries a single-use voting link
    db.session.commit()
    bodies = db.session.scalars(select(Message.body_text)).all()
    tokens = {t for body in bodies for t in TOKEN.findall(body)}
    assert tokens, "the builder queued no action link"
    # a token that leaked into a subject or an error is blanked on the page too
    first = db.session.scalars(select(Message).order_by(Message.id)).first()
    leaked = next(iter(tokens))
    db.session.execute(
        update(Message)
        .where(Message.id == first.id)
        .values(subject=f"Xem /thu/{leaked}", last_error=f"lỗi tại /thu/{leaked}")
    )
    db.session.commit()
    page = _admin(as_user).get(URL).get_data(as_text=True)
    assert "/thu/[liên-kết-đã-gửi]" in page
    assert not any(t in page for t in tokens)


def test_next_attempt_is_shown_for_a_message_waiting_its_back_off(app, as_user):
    later = timeutil.now() + timedelta(minutes=15)
    _queue(1, attempts=2, next_attempt_at=later, last_error="timed out")
    page = _admin(as_user).get(URL).get_data(as_text=True)
    assert f"{timeutil.to_local(later):%d/%m/%Y %H:%M}" in page
