"""Whom a message goes to, and queueing it for each (with copies to substitutes).

Who is told what is decided by each package's notifications.py, which subscribes to the
engine's signals; this module only finds people and queues messages in the act's
transaction (see mail.enqueue): nothing is sent before the act commits, and a recipient
without an e-mail address is skipped.
"""

from __future__ import annotations

from sqlalchemy import select

from ..enums import Role
from ..extensions import db
from ..mail_actions.links import offer
from ..org.delegation import substitutes_for
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
    return distinct(r.user for r in rows)


def distinct(users) -> list[User]:
    seen, out = set(), []
    for user in users:
        if user is not None and user.active and user.id not in seen:
            seen.add(user.id)
            out.append(user)
    return sorted(out, key=lambda u: u.id)


def send(
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


def staff_of(unit_ids) -> set[int]:
    if not unit_ids:
        return set()
    return set(db.session.scalars(select(Staff.id).where(Staff.unit_id.in_(unit_ids))))
