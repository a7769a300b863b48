"""Substitution: a user names who stands in for them over a dated period.

During the period the substitute holds the delegator's delegable roles (see
`DELEGABLE_ROLES`): they see the delegator's tasks, may act on them, get copies of the
e-mails meant for the delegator, and every act records both names. The delegator keeps
their own rights (someone back early can act at once).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import or_, select

from .. import audit
from ..enums import DelegationPeriod, Role
from ..errors import DomainError
from ..extensions import db
from ..states import DelegationState, DelegationTrigger
from ..text import name_sort_key, nfc
from ..timeutil import local_now, vn_date
from ..workflow import Context, announce, cause, guard, transition
from .models import DELEGABLE_ROLES, Agency, Delegation, Staff, User

MAX_DAYS = 366
# How a period in force looks today (from its dates), or its cancelled state's title.
STATUS_TITLES = {
    **{period: period.title_vi for period in DelegationPeriod},
    DelegationState.CANCELLED: DelegationState.CANCELLED.title_vi,
}


def delegable_roles(user: User) -> list:
    return [r for r in user.own_roles() if Role(r.role) in DELEGABLE_ROLES]


def is_deputy_director(user: User) -> bool:
    """A member of the leadership whose position is "Phó Giám đốc" (the agency's title)."""

    position = (user.staff.position if user.staff else "") or ""
    title = f"Phó {Agency.get().director_title}".casefold()
    return position.strip().casefold().startswith(title)


def same_unit(a: User, b: User) -> bool:
    return a.staff is not None and b.staff is not None and a.staff.unit_id == b.staff.unit_id


def candidates(delegator: User, *, everyone: bool = False) -> list[User]:
    """Active accounts that can be named, the delegator excluded, in name order: people of
    the delegator's own unit (the deputy, a colleague), or everyone for the admin. A user
    sees no more of the staff list than their own unit's."""
    query = select(User).where(User.active.is_(True), User.id != delegator.id)
    if not everyone and delegator.staff is not None:
        query = query.join(Staff, User.staff_id == Staff.id).where(
            Staff.unit_id == delegator.staff.unit_id
        )
    return sorted(db.session.scalars(query), key=lambda u: name_sort_key(u.display_name))


def _overlapping(delegator_id: int, starts_on: date, ends_on: date) -> Delegation | None:
    return db.session.scalar(
        select(Delegation)
        .where(
            Delegation.delegator_id == delegator_id,
            Delegation.state == DelegationState.IN_FORCE,
            Delegation.starts_on <= ends_on,
            Delegation.ends_on >= starts_on,
        )
        .order_by(Delegation.starts_on)
        .limit(1)
    )


def create(
    actor: User,
    *,
    delegator: User,
    substitute: User | None,
    starts_on: date | None,
    ends_on: date | None,
    reason: str,
) -> Delegation:
    """Name a substitute; every refusal says why in Vietnamese and saves nothing."""
    if actor.id != delegator.id and not actor.has_role(Role.ADMIN):
        raise DomainError("Chỉ người vắng mặt (hoặc quản trị viên) mới giao được việc làm thay.")
    if not delegator.active:
        raise DomainError(f"Tài khoản của {delegator.display_name} đã bị vô hiệu hóa.")
    if substitute is None:
        raise DomainError("Hãy chọn người làm thay.")
    if substitute.id == delegator.id:
        raise DomainError("Không thể tự giao việc làm thay cho chính mình.")
    if not substitute.active:
        raise DomainError(f"Tài khoản của {substitute.display_name} đã bị vô hiệu hóa.")
    if starts_on is None or ends_on is None:
        raise DomainError("Hãy nhập ngày bắt đầu và ngày kết thúc.")
    if ends_on < starts_on:
        raise DomainError(
            f"Ngày kết thúc ({vn_date(ends_on)}) phải từ ngày bắt đầu "
            f"({vn_date(starts_on)}) trở đi."
        )
    today = local_now().date()
    if starts_on < today:
        raise DomainError(f"Ngày bắt đầu không được trước hôm nay ({vn_date(today)}).")
    if (ends_on - starts_on).days + 1 > MAX_DAYS:
        raise DomainError(f"Thời gian làm thay dài nhất là {MAX_DAYS} ngày.")
    reason = nfc(reason or "")
    if not reason:
        raise DomainError("Hãy ghi lý do vắng mặt (nghỉ phép, đi công tác…).")
    if len(reason) > 300:
        raise DomainError("Lý do dài quá 300 ký tự.")
    roles = {Role(r.role) for r in delegable_roles(delegator)}
    if not roles:
        raise DomainError(
            f"{delegator.display_name} không có vai trò nào giao làm thay được. "
            "Bỏ phiếu Hội đồng là việc của từng thành viên: thành viên vắng "
            "mặt gửi ý kiến bằng văn bản cho Thư ký."
        )
    if Role.DIRECTOR in roles and not is_deputy_director(substitute):
        raise DomainError(
            "Quyền ký, ban hành quyết định của Giám đốc chỉ giao được cho Phó "
            "Giám đốc (ký thay, «KT. GIÁM ĐỐC»)."
        )
    # Lock the delegator's row: two overlapping periods created at once cannot both pass.
    db.session.execute(select(User.id).where(User.id == delegator.id).with_for_update())
    clash = _overlapping(delegator.id, starts_on, ends_on)
    if clash is not None:
        raise DomainError(
            f"{clash.substitute.display_name} đã được giao làm thay từ "
            f"{vn_date(clash.starts_on)} đến {vn_date(clash.ends_on)}; thời gian trùng nhau. "
            "Hãy hủy lần giao đó trước."
        )
    if not same_unit(delegator, substitute) and not actor.has_role(Role.ADMIN):
        raise DomainError(
            f"Người làm thay phải là người cùng đơn vị với "
            f"{delegator.display_name}; giao cho người đơn vị khác thì nhờ quản "
            "trị viên."
        )
    delegation = Delegation(
        delegator_id=delegator.id,
        substitute_id=substitute.id,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        created_by_id=actor.id,
    )
    db.session.add(delegation)
    db.session.flush()
    db.session.expire(substitute, ["delegations_received"])
    audit.record(
        actor=actor,
        action="delegation_created",
        object_type="delegation",
        object_id=delegation.id,
        data={
            "delegator": delegator.display_name,
            "substitute": substitute.display_name,
            "from": starts_on.isoformat(),
            "to": ends_on.isoformat(),
        },
        comment=reason,
    )
    announce(cause(delegation), delegation)  # the substitute is told (org/notifications.py)
    return delegation


def cancel(actor: User, delegation: Delegation) -> Delegation:
    """The delegator (or the admin) ends a current or planned period at once."""
    if delegation.state == DelegationState.CANCELLED:  # plainly, before the engine refuses
        raise DomainError("Lần giao này đã hủy; không hủy nữa.")
    with transition(
        delegation,
        DelegationTrigger.CANCEL,
        Context(
            actor=actor,
            extra={
                "delegator": delegation.delegator.display_name,
                "substitute": delegation.substitute.display_name,
            },
        ),
    ):
        delegation.cancelled_by_id = actor.id
    db.session.expire(delegation.substitute, ["delegations_received"])
    return delegation


@guard("not_ended", "chưa hết thời gian làm thay")
def not_ended(delegation: Delegation, ctx: Context) -> None:
    if local_now().date() > delegation.ends_on:
        raise DomainError(f"Lần giao này {DelegationPeriod.ENDED.title_vi.lower()}; không hủy nữa.")


def given_by(user: User) -> list[Delegation]:
    return list(
        db.session.scalars(
            select(Delegation)
            .where(Delegation.delegator_id == user.id)
            .order_by(Delegation.starts_on.desc())
        )
    )


def received_by(user: User) -> list[Delegation]:
    return list(
        db.session.scalars(
            select(Delegation)
            .where(Delegation.substitute_id == user.id)
            .order_by(Delegation.starts_on.desc())
        )
    )


def recent(days: int = 90) -> list[Delegation]:
    """For the admin: every period not ended more than `days` ago."""
    since = local_now().date() - timedelta(days=days)
    return list(
        db.session.scalars(
            select(Delegation)
            .where(or_(Delegation.ends_on >= since, Delegation.starts_on >= since))
            .order_by(Delegation.starts_on.desc())
        )
    )


def substitutes_for(users, day: date | None = None) -> list[tuple[User, Delegation]]:
    """(substitute, delegation) for each of `users` away today: they get copies of mail."""
    ids = {u.id for u in users}
    if not ids:
        return []
    day = day or local_now().date()
    rows = db.session.scalars(
        select(Delegation).where(
            Delegation.delegator_id.in_(ids),
            Delegation.state == DelegationState.IN_FORCE,
            Delegation.starts_on <= day,
            Delegation.ends_on >= day,
        )
    )
    return [(d.substitute, d) for d in rows if d.in_force(day)]
