"""How a reminder run queues its mail: the link, one message per dedup key, each batch
committed on its own (and run once more after losing a race), the recipients holding a
role, and whoever stands in for one of them today.

Split out of reminders.py, which imports these back; `_already_queued` stays there.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..org.models import RoleAssignment, User
from ..timeutil import local_now, vn_date
from . import mail


def _link(endpoint: str, **values) -> str:
    """An absolute link when MAIL_BASE_URL / SERVER_NAME is configured, else the path."""
    return mail.link(endpoint, **values)


def _queue(
    event: str, user: User, template: str, context: dict, key: str, existing: set[str]
) -> int:
    """Queue one message unless its key is already in the outbox; 1 if queued."""
    if key in existing:
        return 0
    message = mail.enqueue(
        event=event,
        to_user=user,
        template=template,
        context={**context, "recipient": user},
        dedup_key=key,
    )
    return 0 if message is None else 1


def _commit_batch(batch: Callable[[], int]) -> int:
    """Run one batch (a unit, a meeting, a dossier) and commit it on its own.

    A concurrent run may have committed the same keys in between: the unique constraint
    refuses ours, we roll back and run the batch once more, skipping what is now there.
    """
    for attempt in (1, 2):
        try:
            count = batch()
            db.session.commit()
            return count
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
    return 0  # pragma: no cover


def _users(*conditions) -> list[User]:
    """Active accounts holding a role matching the conditions (for every year or this one)."""
    year = local_now().year
    holders = select(RoleAssignment.user_id).where(
        *conditions, or_(RoleAssignment.year.is_(None), RoleAssignment.year == year)
    )
    return list(
        db.session.scalars(
            select(User).where(User.active.is_(True), User.id.in_(holders)).order_by(User.id)
        ).unique()
    )


def _with_substitutes(users: list[User]) -> tuple[list[User], dict[int, str]]:
    """The users plus whoever stands in for one of them today, and for each such
    substitute the note their copy carries ("Chánh Văn phòng … đến hết ngày …")."""
    from ..org.delegation import substitutes_for

    out, notes = list(users), {}
    ids = {u.id for u in users}
    for substitute, delegation in substitutes_for(users):
        if substitute.id not in ids:
            ids.add(substitute.id)
            out.append(substitute)
            notes[substitute.id] = (
                f"{delegation.delegator_label} đến hết {vn_date(delegation.ends_on)}"
            )
    return out, notes
