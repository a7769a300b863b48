"""The Director's "hoàn trả": a draft decision goes back to the Văn phòng with the reason.

The step is one row of workflows/decision.py (and the engine's "comment" guard): the
button on the decision page, the act, its audit event and its refusals all come from the
generic engine, act view and partial.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from dossier.audit import AuditEvent
from dossier.decisions import operations as ops
from dossier.decisions.models import Decision
from dossier.extensions import db
from dossier.notify.models import Message
from dossier.states import DecisionState
from tests.decision_builders import approved, people, sign_and_issue

REASON = "Điều 1 ghi thiếu tên một tập thể; đề nghị rà soát lại danh sách."
LINK = re.compile(r"/thu/[A-Za-z0-9_-]{20,}")


def _draft():
    c, *_ = approved(3)
    office, director, deputy = people()
    decision = ops.draft(office, c)
    db.session.commit()
    return decision, office, director, deputy


def _page(client, decision) -> str:
    return client.get(f"/quyet-dinh/{decision.id}").get_data(as_text=True)


def _act(client, decision, trigger, **data):
    return client.post(
        f"/quyet-dinh/{decision.id}/thao-tac/{trigger}",
        {"version": decision.version, **data},
        page=f"/quyet-dinh/{decision.id}",
        follow_redirects=True,
    )


def test_the_director_returns_a_draft_and_the_office_sends_it_again(app, as_user):
    decision, office, director, _ = _draft()
    director_client = as_user(director)
    page = _page(director_client, decision)
    assert "Hoàn trả Văn phòng" in page and 'placeholder="Lý do hoàn trả"' in page
    assert "Hoàn trả Văn phòng" not in _page(as_user(office), decision)  # not the office's

    resp = _act(director_client, decision, "return_to_office", comment=REASON)
    text = resp.get_data(as_text=True)
    assert "Đã hoàn trả dự thảo cho Văn phòng Sở." in text
    db.session.expire_all()
    decision = db.session.get(Decision, decision.id)
    assert decision.state == DecisionState.RETURNED
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "decision_returned"))
    assert (event.actor_id, event.comment) == (director.id, REASON)
    assert (event.from_state, event.to_state) == ("draft", "returned")
    assert "hoàn trả Văn phòng" in text and REASON in text  # on the decision's timeline
    # Nothing to sign while it is back with the Văn phòng: no task, no live link, no button.
    home = director_client.get("/").get_data(as_text=True)
    assert "Ký quyết định" not in home
    assert "Ký quyết định" not in _page(director_client, decision)

    office_client = as_user(office)
    page = _page(office_client, decision)
    assert 'data-testid="decision-form"' in page and "Gửi thư trình ký" in page
    resp = office_client.post(
        f"/quyet-dinh/{decision.id}/sua",
        {
            "version": decision.version,
            "subject": decision.subject + " (đã rà soát)",
            "legal_basis": decision.legal_basis,
            "article_1": decision.articles[0],
            "recipients": decision.recipients,
        },
        page=f"/quyet-dinh/{decision.id}",
        follow_redirects=True,
    )
    assert "Đã lưu dự thảo." in resp.get_data(as_text=True)
    db.session.expire_all()
    decision = db.session.get(Decision, decision.id)
    resp = _act(office_client, decision, "send_for_signing")
    assert "Đã gửi thư trình ký" in resp.get_data(as_text=True)
    db.session.expire_all()
    decision = db.session.get(Decision, decision.id)
    assert decision.state == DecisionState.DRAFT and decision.subject.endswith("(đã rà soát)")
    mail = db.session.scalar(
        select(Message)
        .where(Message.event == "decision_drafted", Message.to_user_id == director.id)
        .order_by(Message.id.desc())
    )
    assert LINK.search(mail.body_text)  # a fresh link to sign the edited draft
    assert "Ký quyết định" in director_client.get("/").get_data(as_text=True)


def test_a_return_needs_a_reason_and_the_director(app, as_user):
    decision, office, director, _ = _draft()
    resp = _act(as_user(director), decision, "return_to_office", comment="  ")
    assert "Cần ghi rõ lý do." in resp.get_data(as_text=True)
    resp = _act(as_user(office), decision, "return_to_office", comment=REASON)
    assert "không có quyền «Hoàn trả Văn phòng»" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Decision, decision.id).state == DecisionState.DRAFT
    assert not db.session.scalar(
        select(AuditEvent.id).where(AuditEvent.action == "decision_returned")
    )


def test_an_issued_decision_cannot_be_returned(app, as_user):
    decision, office, director, _ = _draft()
    sign_and_issue(director, decision)
    db.session.commit()
    resp = _act(as_user(director), decision, "return_to_office", comment=REASON)
    assert "khi quyết định đang ở trạng thái «Đã ban hành»" in resp.get_data(as_text=True)
