"""Substitution in the mail: the substitute gets copies of what is meant for the person
away, except council mail (split from test_delegation.py)."""

from __future__ import annotations

from sqlalchemy import select

from dossier.enums import Role
from dossier.extensions import db
from dossier.nominations import operations as dossier_ops
from dossier.notify.models import Message
from dossier.org import delegation as ops
from tests import builders as b
from tests import dossier_builders as db_
from tests.delegation_builders import name
from tests.delegation_builders import office as office  # the fixture
from tests.intake_builders import submitted


def test_substitute_gets_copies_of_mail_meant_for_the_absent(office):
    chief, deputy = office
    campaign = db_.campaign()
    d, head = submitted(campaign, [("Ngô Thị Yến", "LDTT")])
    stand_in = b.user(None)
    name(head, stand_in, by=b.user(Role.ADMIN))
    dossier_ops.return_for_revision(
        chief,
        d,
        version=d.version,
        comment=None,
        items=[{"nominee_id": None, "component": "minutes", "reason": "Thiếu chữ ký."}],
    )
    db.session.commit()
    copies = list(
        db.session.scalars(
            select(Message).where(Message.event == "dossier_returned").order_by(Message.id)
        )
    )
    assert [m.to_user_id for m in copies] == [head.id, stand_in.id]
    assert "Anh/chị nhận thư này vì đang làm thay" in copies[1].body_text
    assert "Anh/chị nhận thư này vì đang làm thay" not in copies[0].body_text


def test_council_mail_is_not_copied_but_unit_mail_is(office):
    """A unit head who also sits on the council is away: their substitute gets the unit's
    mail, never the council's (a vote is personal)."""
    from dossier.notify import recipients
    from dossier.org.models import RoleAssignment

    campaign = db_.campaign()
    d, head = submitted(campaign, [("Ngô Thị Yến", "LDTT")])
    head.roles.append(RoleAssignment(role=Role.COUNCIL, council_position="member", year=2026))
    stand_in = b.user(None)
    name(head, stand_in, by=b.user(Role.ADMIN))
    sent = recipients.send(
        "vote_opened",
        [head],
        "delegation_created",
        substitutes=False,
        delegation=ops.given_by(head)[0],
        roles=[],
        starts_on="",
        ends_on="",
        link="/",
    )
    assert sent == 1
    sent = recipients.send(
        "dossier_accepted",
        [head],
        "dossier_accepted",
        dossier=d,
        unit=d.unit,
        campaign=campaign,
        link="/",
    )
    assert sent == 2
    db.session.flush()
    to = [
        m.to_user_id
        for m in db.session.scalars(
            select(Message)
            .where(Message.event.in_(["vote_opened", "dossier_accepted"]))
            .order_by(Message.id)
        )
    ]
    assert to == [head.id, head.id, stand_in.id]


def test_decision_mail_to_a_head_standing_in_lists_only_their_own_unit(office, app):
    from dossier.decisions import notifications
    from dossier.decisions.models import Decision, DecisionAward

    campaign = db_.campaign()
    _, head_a = submitted(campaign, [("Ngô Thị Yến", "LDTT")])
    _, head_b = submitted(campaign, [("Phan Văn Tùng", "LDTT")])
    name(head_b, head_a, by=b.user(Role.ADMIN))  # head A stands in for head B
    unit_a, unit_b = head_a.own_roles()[0].unit_id, head_b.own_roles()[0].unit_id
    decision = Decision(
        campaign_id=campaign.id,
        subject="Về việc tặng Giấy khen",
        legal_basis="",
        articles=["Điều 1."],
        recipients="",
        state="draft",
        year=2026,
        created_by_id=head_a.id,
    )
    decision.awards = [
        DecisionAward(
            name="Tập thể A",
            kind="collective",
            unit_id=unit_a,
            unit="A",
            position="",
            form_code="GK_TT",
            form_name="Giấy khen",
            position_no=1,
        ),
        DecisionAward(
            name="Tập thể B",
            kind="collective",
            unit_id=unit_b,
            unit="B",
            position="",
            form_code="GK_TT",
            form_name="Giấy khen",
            position_no=2,
        ),
    ]
    db.session.add(decision)
    db.session.flush()
    with app.test_request_context():
        notifications.decision_issued(decision)
    db.session.flush()
    bodies = {
        (m.to_user_id, "vì đang làm thay" in m.body_text): m.body_text
        for m in db.session.scalars(select(Message).where(Message.event == "decision_issued"))
    }
    assert len(bodies) == 3  # A's own, B's own, A's copy of B's
    own_a = bodies[(head_a.id, False)]
    assert "Tập thể A" in own_a and "Tập thể B" not in own_a
    copy_b = bodies[(head_a.id, True)]  # the copy of B's message, marked as such
    assert "Tập thể B" in copy_b and "Tập thể A" not in copy_b
    db.session.rollback()
