"""Acting from e-mail: a single-use, expiring link bound to one person opens a confirmation
page; a GET never acts; the link dies when used, expired, or the task is no longer theirs."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dossier import timeutil
from dossier.audit import AuditEvent
from dossier.council import operations as council_ops
from dossier.council.models import BallotReceipt
from dossier.decisions import operations as decision_ops
from dossier.decisions.models import Decision
from dossier.enums import Role
from dossier.extensions import db
from dossier.mail_actions.models import ActionLink
from dossier.notify import mail
from dossier.notify.models import Message
from dossier.org import delegation
from tests import builders as b
from tests import smtp_server as smtp
from tests.conftest import csrf_from, login
from tests.council_builders import meeting
from tests.decision_builders import approved, people
from tests.smtp_server import text_of

smtp_server = smtp.smtp_server  # the fixture

LINK = re.compile(r"(/thu/[A-Za-z0-9_-]{20,})")


def link_in(event: str, user) -> str:
    body = db.session.scalar(
        select(Message.body_text)
        .where(Message.event == event, Message.to_user_id == user.id)
        .order_by(Message.id.desc())
    )
    match = LINK.search(body or "")
    assert match, body
    return match.group(1)


def receipts(meeting_id: int, member_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(BallotReceipt)
        .where(BallotReceipt.meeting_id == meeting_id, BallotReceipt.member_id == member_id)
    )


def ballot_form(page: str, choice: str = "agree") -> dict:
    data = {"csrf_token": csrf_from(page)}
    for nominee_id in re.findall(r'name="vote_(\d+)" value="agree"', page):
        data[f"vote_{nominee_id}"] = choice
    return data


def test_vote_from_the_mail_through_real_smtp(app, smtp_server):
    m, _d, _chair, _secretary, members = meeting(present=12, size=12)
    voter = members[0]
    assert mail.deliver()[1] == 0
    sent = next(
        x
        for x in smtp_server.messages
        if x["To"] == voter.email and x["Subject"].startswith("Hội đồng đã mở")
    )
    body = text_of(sent)
    url = LINK.search(body).group(1)
    assert "Bỏ phiếu kín ngay từ thư này" in body and "chỉ dùng một lần" in body
    # the outbox keeps no usable token once the mail is out
    stored = db.session.scalar(
        select(Message.body_text).where(
            Message.to_user_id == voter.id, Message.event == "vote_opened"
        )
    )
    assert url not in stored and "/thu/[liên-kết-đã-gửi]" in stored

    client = app.test_client()  # not signed in: the link is the credential
    for _ in range(2):  # a mail scanner, then the person: neither GET acts
        page = client.get(url)
        assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert receipts(m.id, voter.id) == 0
    html = page.get_data(as_text=True)
    assert voter.display_name in html and "Xác nhận và gửi phiếu kín" in html

    done = client.post(url, data=ballot_form(html))
    assert "Đã ghi nhận phiếu kín" in done.get_data(as_text=True)
    db.session.expire_all()
    assert receipts(m.id, voter.id) == 3
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "mail_link_used", AuditEvent.actor_id == voter.id)
        )
        == 1
    )
    again = client.get(url)
    assert again.status_code == 410 and "chỉ dùng một lần" in again.get_data(as_text=True)


def test_a_refused_ballot_leaves_the_link_usable(app):
    m, _d, _chair, _secretary, members = meeting()
    url = link_in("vote_opened", members[1])
    client = app.test_client()
    page = client.get(url).get_data(as_text=True)
    resp = client.post(url, data={"csrf_token": csrf_from(page)})  # nothing chosen
    assert resp.status_code == 422 and "Chưa chọn" in resp.get_data(as_text=True)
    assert client.get(url).status_code == 200  # still usable
    assert (
        db.session.scalar(select(ActionLink.used_at).where(ActionLink.user_id == members[1].id))
        is None
    )


def test_absent_members_get_no_link_and_a_closed_vote_kills_links(app):
    m, _d, chair, _secretary, members = meeting(present=10, size=12)
    absent = members[-1]
    body = db.session.scalar(
        select(Message.body_text).where(
            Message.to_user_id == absent.id, Message.event == "vote_opened"
        )
    )
    assert "vắng mặt" in body and not LINK.search(body)
    url = link_in("vote_opened", members[0])
    council_ops.close_vote(chair, m, version=m.version)
    db.session.commit()
    page = app.test_client().get(url)
    assert page.status_code == 410 and "Biểu quyết đã đóng" in page.get_data(as_text=True)


def test_expired_link_and_someone_elses_session(app):
    m, _d, _chair, _secretary, members = meeting()
    url = link_in("vote_opened", members[2])
    other = app.test_client()
    assert login(other, members[3].username).status_code == 302
    resp = other.get(url)
    assert resp.status_code == 403 and "dành cho" in resp.get_data(as_text=True)
    timeutil.freeze(timeutil.now() + timedelta(hours=49))
    try:
        resp = app.test_client().get(url)
        assert resp.status_code == 410 and "hết hạn" in resp.get_data(as_text=True)
    finally:
        timeutil.freeze(None)
    assert app.test_client().get("/thu/khong-co-lien-ket-nay-1234567890").status_code == 410


def _drafted():
    c, _d, _unit = approved(3)
    office, director, deputy = people()
    decision = decision_ops.draft(office, c)
    db.session.commit()
    return decision, office, director, deputy


def test_director_signs_from_the_mail_and_other_links_die(app):
    decision, _office, director, deputy = _drafted()
    url = link_in("decision_drafted", director)
    deputy_url = link_in("decision_drafted", deputy)
    client = app.test_client()
    page = client.get(url).get_data(as_text=True)
    assert "Xác nhận ký" in page and decision.subject in page
    pdf = client.get(f"{url}/du-thao.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert db.session.get(Decision, decision.id).state == "draft"  # reading acts on nothing
    done = client.post(url, data={"csrf_token": csrf_from(page)})
    assert "Đã ký quyết định; Văn thư sẽ cấp số" in done.get_data(as_text=True)
    db.session.expire_all()
    signed = db.session.get(Decision, decision.id)
    assert signed.state == "signed" and signed.signer_id == director.id and signed.number is None
    dead = app.test_client().get(deputy_url)
    assert dead.status_code == 410 and "đã được ký" in dead.get_data(as_text=True)


def test_an_edited_draft_kills_the_link_and_the_office_sends_a_new_one(app, as_user):
    decision, office, director, _deputy = _drafted()
    url = link_in("decision_drafted", director)
    decision_ops.update_draft(
        office,
        decision,
        version=decision.version,
        subject=decision.subject + " (sửa)",
        legal_basis=decision.legal_basis,
        articles=decision.articles,
        recipients=decision.recipients,
    )
    db.session.commit()
    page = app.test_client().get(url)
    assert page.status_code == 410 and "đã được sửa" in page.get_data(as_text=True)
    resp = as_user(office).post(
        f"/quyet-dinh/{decision.id}/trinh-ky",
        page=f"/quyet-dinh/{decision.id}",
        follow_redirects=True,
    )
    assert "Đã gửi thư trình ký" in resp.get_data(as_text=True)
    fresh = link_in("decision_drafted", director)
    assert fresh != url
    page = app.test_client().get(fresh)
    assert page.status_code == 200 and "(sửa)" in page.get_data(as_text=True)
    assert (
        as_user(director).post(f"/quyet-dinh/{decision.id}/trinh-ky", page="/").status_code == 403
    )


def test_a_substitute_link_dies_when_the_substitution_is_cancelled(app):
    c, _d, _unit = approved(2)
    office, director, _deputy = people()
    stand_in = b.user(None, person=b.staff(name="Lý Văn Bảo", position="Phó Giám đốc"))
    today = timeutil.local_now().date()
    d = delegation.create(
        b.user(Role.ADMIN),
        delegator=director,
        substitute=stand_in,
        starts_on=today,
        ends_on=today + timedelta(days=3),
        reason="Đi công tác",
    )
    decision_ops.draft(office, c)
    db.session.commit()
    url = link_in("decision_drafted", stand_in)
    body = db.session.scalar(
        select(Message.body_text).where(
            Message.to_user_id == stand_in.id, Message.event == "decision_drafted"
        )
    )
    assert "vì đang làm thay" in body
    assert app.test_client().get(url).status_code == 200
    delegation.cancel(director, d)
    db.session.commit()
    page = app.test_client().get(url)
    assert page.status_code == 410 and "không còn quyền ký" in page.get_data(as_text=True)


@pytest.mark.real_db  # two threads, two transactions
def test_two_clicks_at_once_sign_once(app):
    decision, _office, director, _deputy = _drafted()
    url = link_in("decision_drafted", director)
    clients = [app.test_client(), app.test_client()]
    tokens = [csrf_from(c.get(url).get_data(as_text=True)) for c in clients]
    db.session.commit()
    barrier, pages = threading.Barrier(2), [None, None]

    def run(i):
        barrier.wait()
        pages[i] = clients[i].post(url, data={"csrf_token": tokens[i]}).get_data(as_text=True)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert sum("Đã ký quyết định" in p for p in pages) == 1
    assert sum("Liên kết không dùng được" in p for p in pages) == 1
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(func.count()).select_from(Decision).where(Decision.state == "signed")
        )
        == 1
    )


def test_unknown_tokens_and_forged_posts_change_nothing(app):
    client = app.test_client()
    resp = client.get("/thu/khong-phai-lien-ket")
    assert resp.status_code == 410 and "không đúng" in resp.get_data(as_text=True)
    resp = client.post("/thu/khong-phai-lien-ket")  # no CSRF token: refused before the view
    assert resp.status_code == 400
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "mail_link_used")
        )
        == 0
    )
