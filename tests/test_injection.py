"""Hostile text in every field a unit types shows as text: on every page and in every e-mail.

The unit's fields, and the Văn phòng's reasons and comments, are filled through their real
forms; the council and decision steps take hostile names from the builders. Then the pages
that show them are read: the text must be escaped in the source, never raw, literal to
the reader, and no page may gain a script, a handler or an element (tests/hostile.py).
E-mail: the plain-text part carries the text as typed, the HTML part escaped.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dossier.council import operations as council
from dossier.decisions import operations as decisions
from dossier.enums import Role
from dossier.extensions import db
from dossier.nominations.models import Dossier
from dossier.notify import mail as delivery
from dossier.notify.models import Message
from dossier.text import fold, name_sort_key
from dossier.timeutil import local_now
from tests import builders as b
from tests import dossier_builders as db_
from tests import smtp_server as smtp
from tests.council_builders import meeting
from tests.decision_builders import approved, people, sign_and_issue
from tests.flow_builders import unit_with_head
from tests.hostile import NAME, PAYLOADS, escaped, html_problems, shows_literally
from tests.smtp_server import html_of, text_of

smtp_server = smtp.smtp_server  # fixture

TEXT = "\n".join(PAYLOADS)
TODAY = local_now().date().isoformat()


def assert_page_shows(resp, *texts):
    assert resp.status_code == 200, resp.status_code
    html = resp.get_data(as_text=True)
    assert not html_problems(html), html_problems(html)
    for text in texts:
        assert shows_literally(html, text), text
    return html


def assert_mail_carries(message: Message, *texts):
    for text in texts:
        assert text in message.body_text, (message.event, text)
        assert escaped(text) in message.body_html, (message.event, text)
        if any(c in text for c in "<>\"'"):
            assert text not in message.body_html, (message.event, text)
    assert not html_problems(message.body_html, styles=True)


def _mails(event: str) -> list[Message]:
    return db.session.scalars(select(Message).where(Message.event == event)).all()


class Unit:
    """A unit head who fills a whole dossier through the forms, every field hostile."""

    def __init__(self, as_user):
        self.unit, self.head_user = unit_with_head()
        self.campaign = db_.campaign()
        self.dossier = db_.dossier(self.unit, self.campaign)
        db.session.commit()
        self.head = as_user(self.head_user)
        self.url = f"/ho-so/{self.dossier.id}"
        self.token = self.head.token(self.url)  # one per session: no page fetch per post

    @property
    def version(self):
        return db.session.get(Dossier, self.dossier.id).version

    def post(self, url, data, **kw):
        data = {"csrf_token": self.token, "version": self.version, **data}
        resp = self.head.post(url, data, **kw)
        assert resp.status_code in (200, 302), (url, resp.status_code)
        return resp

    def fill(self):
        ldtt = next(f for f in self.campaign.award_forms if f.code == "LDTT")
        self.post(
            f"{self.url}/to-trinh",
            {"number": PAYLOADS[2], "letter_date": TODAY, "signer": PAYLOADS[1], "text": TEXT},
        )
        for payload in PAYLOADS:
            self.post(
                f"{self.url}/nguoi",
                {
                    "kind": "individual",
                    "staff_id": "0",
                    "name": payload,
                    "position": PAYLOADS[2],
                    "award_form_id": ldtt.id,
                },
            )
        nominees = db.session.get(Dossier, self.dossier.id).nominees
        assert sorted(n.name for n in nominees) == sorted(PAYLOADS)
        for n in nominees:
            fields = (
                "qualifications",
                "situation",
                "duties",
                "achievements",
                "initiatives",
                "awards_received",
            )
            resp = self.post(
                f"/ho-so/nguoi/{n.id}/bao-cao",
                {"hometown": PAYLOADS[2], **dict.fromkeys(fields, TEXT)},
                follow_redirects=True,
            )
            assert_page_shows(resp, n.name, f"Đã lưu báo cáo thành tích của {n.name}.")
            self.post(f"/ho-so/nguoi/{n.id}/xac-nhan", {})
        votes = {f"{side}_{n.id}": v for n in nominees for side, v in (("for", 7), ("against", 1))}
        self.post(
            f"{self.url}/bien-ban",
            {
                "meeting_date": TODAY,
                "chair": PAYLOADS[1],
                "secretary": NAME,
                "present": 8,
                "total": 8,
                **votes,
            },
        )
        db_.scans(db.session.get(Dossier, self.dossier.id), self.head_user)  # both required
        db.session.commit()
        return nominees


@pytest.fixture
def unit(app, as_user):
    return Unit(as_user)


def test_the_dossier_the_unit_types_shows_as_text(unit):
    nominees = unit.fill()
    html = assert_page_shows(unit.head.get(unit.url), *PAYLOADS)
    # The remove button's confirmation is an attribute: the name is escaped inside it.
    assert f'data-confirm="Bỏ {escaped(NAME)} khỏi danh sách?"' in html
    assert "onclick" not in html
    for n in nominees:
        assert_page_shows(unit.head.get(f"/ho-so/nguoi/{n.id}/bao-cao"), *PAYLOADS)


def test_the_office_sees_the_text_and_the_unit_gets_the_fix_list_by_mail(
    unit, as_user, smtp_server
):
    nominees = unit.fill()
    unit.post(f"{unit.url}/thao-tac/submit", {})
    assert db.session.get(Dossier, unit.dossier.id).state == "submitted"
    office = as_user(b.user(Role.OFFICE))
    c = unit.campaign.id
    assert_page_shows(office.get(f"/tiep-nhan/{c}"))
    assert_page_shows(office.get(f"/tiep-nhan/{c}/danh-sach"), *PAYLOADS)
    assert_page_shows(office.get(unit.url), *PAYLOADS)
    # Not eligible, with a hostile reason; then returned with a hostile fix list.
    resp = office.post(
        f"/tiep-nhan/nguoi/{nominees[0].id}/khong-du-dieu-kien",
        {"reason": PAYLOADS[1]},
        page=unit.url,
    )
    assert resp.status_code == 302
    assert_page_shows(office.get(unit.url), f"Lý do: {PAYLOADS[1]}")
    resp = office.post(
        f"{unit.url}/thao-tac/return_for_revision",
        {
            "version": unit.version,
            "fix_target": [str(n.id) for n in nominees],
            "fix_component": ["report"] * len(nominees),
            "fix_reason": list(PAYLOADS),
            "comment": PAYLOADS[2],
        },
        page=unit.url,
    )
    assert resp.status_code == 302
    assert db.session.get(Dossier, unit.dossier.id).state == "returned"
    assert_page_shows(unit.head.get(unit.url), *PAYLOADS)
    [mail] = _mails("dossier_returned")
    assert_mail_carries(mail, *PAYLOADS)
    assert delivery.deliver() == (1, 0)
    [got] = smtp_server.handler.to(unit.head_user.email)  # as the mail client reads it
    for payload in PAYLOADS:
        assert payload in text_of(got) and escaped(payload) in html_of(got), payload
    # The unit fixes the letter and sends it again: the changes page shows old and new.
    unit.post(
        f"{unit.url}/to-trinh",
        {"number": "1/TTr", "letter_date": TODAY, "signer": NAME, "text": PAYLOADS[2]},
    )
    unit.post(f"{unit.url}/thao-tac/submit", {})
    html = assert_page_shows(office.get(f"{unit.url}/thay-doi"), NAME, PAYLOADS[1])
    assert "<del>" in html or "<ins>" in html


def test_withdrawal_reason_shows_as_text(unit):
    unit.fill()
    unit.post(f"{unit.url}/thao-tac/withdraw", {"comment": PAYLOADS[1]})
    assert db.session.get(Dossier, unit.dossier.id).state == "withdrawn"
    assert_page_shows(unit.head.get(unit.url), PAYLOADS[1])


def test_council_page_and_mails_show_hostile_names_as_text(app, as_user):
    m, d, chair, secretary, members = meeting(
        present=12, people=[(p, "LDTT") for p in PAYLOADS[:3]], open_=False
    )
    m.place = PAYLOADS[1]  # typed by the Văn phòng when creating the meeting
    council.open_vote(chair, m, version=m.version)
    db.session.commit()
    assert_page_shows(as_user(chair).get(f"/hoi-dong/{m.id}"), *PAYLOADS[:3])
    mails = _mails("vote_opened")
    assert mails
    assert_mail_carries(mails[0], PAYLOADS[1])


def test_decision_page_and_mail_show_hostile_names_as_text(app, as_user):
    office, director, _ = people()
    c, d, unit = approved(3)
    head = b.user(Role.UNIT_HEAD, unit_obj=unit)
    for nominee, payload in zip(d.nominees, PAYLOADS, strict=False):
        nominee.name, nominee.name_folded, nominee.sort_key = (
            payload,
            fold(payload),
            name_sort_key(payload),
        )
    db.session.commit()
    decision = decisions.draft(office, c)
    db.session.commit()
    assert_page_shows(as_user(office).get(f"/quyet-dinh/{decision.id}"), *PAYLOADS[:3])
    sign_and_issue(director, decision)
    db.session.commit()
    [mail] = [m for m in _mails("decision_issued") if m.to_user_id == head.id]
    assert_mail_carries(mail, *PAYLOADS[:3])
    assert_page_shows(as_user(head).get(f"/lich-su/don-vi/{unit.id}"), *PAYLOADS[:3])


def test_substitution_reason_shows_as_text_in_page_and_mail(app, as_user):
    unit = b.unit()
    head = b.user(Role.UNIT_HEAD, unit_obj=unit)
    colleague = b.user(None, person=b.staff(unit, "Trần Thị Bình"))
    client = as_user(head)
    resp = client.post(
        "/tai-khoan/lam-thay",
        {
            "substitute_id": colleague.id,
            "starts_on": TODAY,
            "ends_on": TODAY,
            "reason": PAYLOADS[2],
        },
        page="/tai-khoan/lam-thay",
        follow_redirects=True,
    )
    assert_page_shows(resp, PAYLOADS[2])
    [mail] = _mails("delegation_created")
    assert_mail_carries(mail, PAYLOADS[2])
