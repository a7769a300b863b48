"""Who is told what when an act happens: one function per act, called at its end.

Each only queues messages in the act's transaction (see mail.enqueue); nothing is sent
before the act commits, and a recipient without an e-mail address is skipped.
"""

from __future__ import annotations

from sqlalchemy import select

from ..access import Principal
from ..enums import FixComponent, Role
from ..extensions import db
from ..org.models import RoleAssignment, Staff, User
from ..timeutil import local_now, vn_date
from . import mail


def unit_people(unit_ids, roles=(Role.UNIT_HEAD, Role.UNIT_CLERK)) -> list[User]:
    """Active accounts holding one of the roles on one of the units this year."""
    ids = {i for i in unit_ids if i}
    if not ids:
        return []
    year = local_now().year
    rows = db.session.scalars(
        select(RoleAssignment).where(
            RoleAssignment.role.in_([Role(r).value for r in roles]),
            RoleAssignment.unit_id.in_(ids),
            RoleAssignment.year.is_(None) | (RoleAssignment.year == year),
        )
    )
    return _distinct(r.user for r in rows)


def _distinct(users) -> list[User]:
    seen, out = set(), []
    for user in users:
        if user is not None and user.active and user.id not in seen:
            seen.add(user.id)
            out.append(user)
    return sorted(out, key=lambda u: u.id)


def _send(
    event: str,
    users,
    template: str,
    *,
    substitutes: bool = True,
    action: tuple[str, object] | None = None,
    **context,
) -> int:
    """Queue one message per user; with `substitutes`, a copy also goes to whoever stands
    in for a user today (not for the council's mail: a vote is personal). With `action`
    (kind, object), each recipient who may do that task now gets their own single-use link
    to do it from the mail (mail_actions)."""

    def personal(user) -> dict:
        if action is None:
            return {}
        from ..mail_actions.links import offer

        return offer(user, *action)

    users = list(users)
    queued = 0
    for user in users:
        if (
            mail.enqueue(
                event=event,
                to_user=user,
                template=template,
                context=dict(context, user=user, recipient=user, **personal(user)),
            )
            is not None
        ):
            queued += 1
    if substitutes:
        from ..org.delegation import substitutes_for

        already = {u.id for u in users}
        for substitute, delegation in substitutes_for(users):
            if substitute.id in already:
                continue
            already.add(substitute.id)
            note = f"{delegation.delegator_label} đến hết {vn_date(delegation.ends_on)}"
            if (
                mail.enqueue(
                    event=event,
                    to_user=substitute,
                    template=template,
                    context=dict(
                        context,
                        user=substitute,
                        recipient=substitute,
                        standing_in_for=note,
                        **personal(substitute),
                    ),
                )
                is not None
            ):
                queued += 1
    return queued


def delegation_created(delegation) -> int:
    """The substitute learns what they will stand in for, and when."""
    from ..org.delegation import delegable_roles

    return _send(
        "delegation_created",
        [delegation.substitute],
        "delegation_created",
        substitutes=False,
        delegation=delegation,
        roles=[r.title for r in delegable_roles(delegation.delegator)],
        starts_on=vn_date(delegation.starts_on),
        ends_on=vn_date(delegation.ends_on),
        link=mail.link("delegation.mine"),
    )


# --- dossiers ----------------------------------------------------------------------------


def dossier_returned(dossier) -> int:
    items = []
    for item in dossier.fix_items:
        if item.revision == dossier.revision and not item.resolved:
            who = item.nominee.name if item.nominee else "Cả hồ sơ"
            items.append(f"{who} – {FixComponent(item.component).title_vi}: {item.reason}")
    return _send(
        "dossier_returned",
        unit_people([dossier.unit_id]),
        "dossier_returned",
        dossier=dossier,
        unit=dossier.unit,
        campaign=dossier.campaign,
        items=items,
        link=mail.link("nominations.show", dossier_id=dossier.id),
    )


def dossier_accepted(dossier) -> int:
    return _send(
        "dossier_accepted",
        unit_people([dossier.unit_id]),
        "dossier_accepted",
        dossier=dossier,
        unit=dossier.unit,
        campaign=dossier.campaign,
        link=mail.link("nominations.show", dossier_id=dossier.id),
    )


# --- the council ---------------------------------------------------------------------------


def list_sent(version) -> int:
    from ..campaigns.models import Campaign
    from ..org.operations import council_members

    campaign = version.campaign if hasattr(version, "campaign") else None
    campaign = campaign or db.session.get(Campaign, version.campaign_id)
    members = _distinct(u for u, _ in council_members(campaign.year))
    return _send(
        "list_sent",
        members,
        "list_sent",
        substitutes=False,
        version=version,
        campaign=campaign,
        rows=len(version.consolidated().rows),
        link=mail.link("intake.version", campaign_id=campaign.id, number=version.number),
    )


def _attendees(meeting) -> list[User]:
    return _distinct(a.member for a in meeting.attendance)


def vote_opened(meeting) -> int:
    return _send(
        "vote_opened",
        _attendees(meeting),
        "vote_opened",
        substitutes=False,
        action=("vote", meeting),
        meeting=meeting,
        campaign=meeting.campaign,
        held_on=vn_date(meeting.held_on),
        present={a.member_id for a in meeting.attendance if a.present},
        link=mail.link("council.show", meeting_id=meeting.id),
    )


def vote_closed(meeting, results) -> int:
    results = list(results)
    passed = sum(1 for r in results if r.passed)
    return _send(
        "vote_closed",
        _attendees(meeting),
        "vote_closed",
        substitutes=False,
        meeting=meeting,
        campaign=meeting.campaign,
        held_on=vn_date(meeting.held_on),
        total=len(results),
        passed=passed,
        rejected=len(results) - passed,
        link=mail.link("council.show", meeting_id=meeting.id),
    )


# --- decisions -------------------------------------------------------------------------------


def decision_drafted(decision) -> int:
    """The Director (and whoever stands in for them) is asked to sign, with a link."""
    year = local_now().year
    directors = _distinct(
        r.user
        for r in db.session.scalars(
            select(RoleAssignment).where(
                RoleAssignment.role == Role.DIRECTOR.value,
                RoleAssignment.year.is_(None) | (RoleAssignment.year == year),
            )
        )
    )
    return _send(
        "decision_drafted",
        directors,
        "decision_drafted",
        action=("issue_decision", decision),
        decision=decision,
        awards=len(decision.awards),
        link=mail.link("decisions.show", decision_id=decision.id),
    )


def decision_issued(decision) -> int:
    unit_ids = {a.unit_id for a in decision.awards if a.unit_id}
    staff_ids = {a.staff_id for a in decision.awards if a.staff_id and not a.unit_id}
    if staff_ids:
        unit_ids |= set(db.session.scalars(select(Staff.unit_id).where(Staff.id.in_(staff_ids))))
    heads = unit_people(unit_ids, roles=(Role.UNIT_HEAD,))
    code = ""
    if decision.number is not None:
        from ..org.models import Agency

        code = f"{decision.number:02d}/QĐ-{Agency.get().short_code}"
    sent = 0
    for head in heads:
        # A unit they stand in for gets its own head's message: only their own units here.
        mine = unit_ids & Principal.own(head).unit_ids(Role.UNIT_HEAD)
        awards = [
            a
            for a in decision.awards
            if a.unit_id in mine or (a.staff_id and a.staff_id in _staff_of(mine))
        ]
        sent += _send(
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


def _staff_of(unit_ids) -> set[int]:
    if not unit_ids:
        return set()
    return set(db.session.scalars(select(Staff.id).where(Staff.unit_id.in_(unit_ids))))
