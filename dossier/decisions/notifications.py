"""Who is told what about a decision: receivers of the engine's signals.

No operation imports this module: the app connects it at start (create_app), and each
receiver only queues messages in the act's transaction.
"""

from __future__ import annotations

from sqlalchemy import select

from ..access import Principal
from ..enums import Role
from ..extensions import db
from ..notify import mail
from ..notify.recipients import distinct, send, staff_of, unit_people
from ..org.models import Agency, Staff
from ..states import DecisionTrigger
from ..timeutil import vn_date
from ..workflow import on
from .guards import signers


@on(f"{DecisionTrigger.object_type}.create")
@on(DecisionTrigger.SEND_FOR_SIGNING)
def decision_drafted(decision, **_) -> int:
    """The Director (and whoever stands in for them) is asked to sign, with a link."""
    return send(
        "decision_drafted",
        distinct(signers()),
        "decision_drafted",
        action=("issue_decision", decision),
        decision=decision,
        awards=len(decision.awards),
        link=mail.link("decisions.show", decision_id=decision.id),
    )


@on(DecisionTrigger.ISSUE)
def decision_issued(decision, **_) -> int:
    """Each awarded unit's head gets the decision, with their own unit's awards."""
    unit_ids = {a.unit_id for a in decision.awards if a.unit_id}
    staff_ids = {a.staff_id for a in decision.awards if a.staff_id and not a.unit_id}
    if staff_ids:
        unit_ids |= set(db.session.scalars(select(Staff.unit_id).where(Staff.id.in_(staff_ids))))
    heads = unit_people(unit_ids, roles=(Role.UNIT_HEAD,))
    code = ""
    if decision.number is not None:
        code = f"{decision.number:02d}/QĐ-{Agency.get().short_code}"
    sent = 0
    for head in heads:
        # A unit they stand in for gets its own head's message: only their own units here.
        mine = unit_ids & Principal.own(head).unit_ids(Role.UNIT_HEAD)
        awards = [
            a
            for a in decision.awards
            if a.unit_id in mine or (a.staff_id and a.staff_id in staff_of(mine))
        ]
        sent += send(
            "decision_issued",
            [head],
            "decision_issued",
            decision=decision,
            number=code,
            issued_on=vn_date(decision.issued_on),
            awards=awards,
            link=mail.link("decisions.show", decision_id=decision.id),
        )
    return sent
