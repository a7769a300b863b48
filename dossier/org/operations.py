"""Operations on the organisation: sign-in, passwords, units, staff, accounts, roles.

Each operation checks its rules, writes its audit event, and leaves the commit to the caller.
"""

from __future__ import annotations

from sqlalchemy import func, select

from .. import audit
from ..enums import CouncilPosition, Role
from ..errors import DomainError
from ..extensions import db
from ..text import nfc
from ..timeutil import local_now, now
from . import sessions
from .models import Agency, RoleAssignment, Staff, Unit, User, password_matches

PASSWORD_MIN = 8
LOGIN_FAILED = "Tên đăng nhập hoặc mật khẩu không đúng."


def authenticate(username: str, password: str) -> User:
    """Return the user, or raise DomainError. Known and unknown names cost the same hashing
    work; how often one may try is the limiter's business (dossier/throttle.py)."""
    key = nfc(username).strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.username) == key))
    if not password_matches(user, password):
        raise DomainError(LOGIN_FAILED)
    if not user.active:
        raise DomainError("Tài khoản đã bị vô hiệu hóa. Liên hệ quản trị viên.")
    user.last_login_at = now()
    audit.record(actor=user, action="login", object_type="user", object_id=user.id)
    return user


def change_password(user: User, *, current: str, new: str, keep_session: str | None = None) -> int:
    """Set a new password and end every other session of the account (all but the one whose
    hash is `keep_session`: the browser that changed it); how many sessions ended."""
    if not user.check_password(current):
        raise DomainError("Mật khẩu hiện tại không đúng.")
    if len(new) < PASSWORD_MIN:
        raise DomainError(f"Mật khẩu mới phải có ít nhất {PASSWORD_MIN} ký tự.")
    if new == current:
        raise DomainError("Mật khẩu mới phải khác mật khẩu hiện tại.")
    user.set_password(new)
    ended = sessions.end_all(user, keep=keep_session)
    audit.record(actor=user, action="password_changed", object_type="user", object_id=user.id)
    return ended


def sign_out_everywhere(user: User) -> int:
    """End every session of the account, this browser's too; how many ended."""
    ended = sessions.end_all(user)
    audit.record(
        actor=user,
        action="signed_out_everywhere",
        object_type="user",
        object_id=user.id,
        data={"sessions": ended},
    )
    return ended


def update_agency(actor: User, **fields) -> Agency:
    agency = Agency.get()
    changed = {k: v for k, v in fields.items() if getattr(agency, k) != v}
    for key, value in changed.items():
        setattr(agency, key, value)
    if changed:
        audit.record(
            actor=actor, action="agency_updated", object_type="agency", object_id=1, data=changed
        )
    return agency


def save_unit(
    actor: User,
    unit: Unit | None,
    *,
    name: str,
    code: str,
    kind: str,
    sort_order: int,
    active: bool,
) -> Unit:
    code = code.upper()
    clash = db.session.scalar(
        select(Unit).where((func.lower(Unit.name) == name.lower()) | (Unit.code == code))
    )
    if clash is not None and clash is not unit:
        raise DomainError("Đã có đơn vị trùng tên hoặc trùng mã viết tắt.")
    created = unit is None
    if unit is None:
        unit = Unit()
        db.session.add(unit)
    unit.name, unit.code, unit.kind = name, code, kind
    unit.sort_order, unit.active = sort_order, active
    db.session.flush()
    audit.record(
        actor=actor,
        action="unit_created" if created else "unit_updated",
        object_type="unit",
        object_id=unit.id,
        data={"name": name, "code": code},
    )
    return unit


def save_staff(actor: User, staff: Staff | None, **fields) -> Staff:
    created = staff is None
    if staff is None:
        staff = Staff()
        db.session.add(staff)
    staff.set_name(fields.pop("full_name"))
    hold_reason = fields.pop("hold_reason") or None
    if hold_reason and not staff.hold_reason:
        staff.hold_since = local_now().date()
    if not hold_reason:
        staff.hold_since = None
    staff.hold_reason = hold_reason
    for key, value in fields.items():
        setattr(staff, key, value)
    db.session.flush()
    audit.record(
        actor=actor,
        action="staff_created" if created else "staff_updated",
        object_type="staff",
        object_id=staff.id,
        data={"full_name": staff.full_name, "on_hold": bool(hold_reason)},
    )
    return staff


def save_account(
    actor: User,
    user: User | None,
    *,
    username: str,
    email: str | None,
    staff_id: int | None,
    active: bool,
    password: str | None,
) -> User:
    username = username.lower()
    clash = db.session.scalar(select(User).where(func.lower(User.username) == username))
    if clash is not None and clash is not user:
        raise DomainError(f"Tên đăng nhập «{username}» đã được dùng.")
    if staff_id:
        owner = db.session.scalar(select(User).where(User.staff_id == staff_id))
        if owner is not None and owner is not user:
            raise DomainError(f"Cán bộ này đã có tài khoản «{owner.username}».")
    created = user is None
    if user is None:
        if not password:
            raise DomainError("Tài khoản mới cần mật khẩu ban đầu.")
        user = User()
        db.session.add(user)
    if password:
        if len(password) < PASSWORD_MIN:
            raise DomainError(f"Mật khẩu phải có ít nhất {PASSWORD_MIN} ký tự.")
        user.set_password(password)
    if user.id == getattr(actor, "id", None) and not active:
        raise DomainError("Không thể tự vô hiệu hóa tài khoản của chính mình.")
    user.username, user.email, user.staff_id, user.active = username, email, staff_id, active
    if not created and (password or not active):
        sessions.end_all(user)  # a new password or a disabled account: its sessions end
    db.session.flush()
    audit.record(
        actor=actor,
        action="account_created" if created else "account_updated",
        object_type="user",
        object_id=user.id,
        data={"username": username, "active": active, "password_set": bool(password)},
    )
    return user


def grant_role(
    actor: User,
    user: User,
    *,
    role: str,
    unit_id: int | None,
    council_position: str | None,
    year: int | None,
) -> RoleAssignment:
    role = Role(role)
    if role.unit_scoped and not unit_id:
        raise DomainError("Vai trò này gắn với một đơn vị: hãy chọn đơn vị.")
    if not role.unit_scoped:
        unit_id = None
    if role == Role.COUNCIL and not council_position:
        raise DomainError("Thành viên Hội đồng cần có chức danh trong Hội đồng.")
    if role != Role.COUNCIL:
        council_position = None
    for existing in user.roles:
        if (existing.role, existing.unit_id, existing.year) == (role, unit_id, year):
            raise DomainError("Tài khoản đã có vai trò này.")
    assignment = RoleAssignment(
        role=role, unit_id=unit_id, council_position=council_position, year=year
    )
    user.roles.append(assignment)
    db.session.flush()
    audit.record(
        actor=actor,
        action="role_granted",
        object_type="user",
        object_id=user.id,
        data={
            "role": role.value,
            "unit_id": unit_id,
            "year": year,
            "council_position": council_position,
        },
    )
    return assignment


def revoke_role(actor: User, assignment: RoleAssignment) -> None:
    user = assignment.user
    if user.id == actor.id and assignment.role == Role.ADMIN:
        raise DomainError("Không thể tự gỡ quyền quản trị của chính mình.")
    user.roles.remove(assignment)
    audit.record(
        actor=actor,
        action="role_revoked",
        object_type="user",
        object_id=user.id,
        data={"role": assignment.role, "unit_id": assignment.unit_id, "year": assignment.year},
    )


def council_members(year: int) -> list[tuple[User, CouncilPosition]]:
    rows = db.session.scalars(
        select(RoleAssignment).where(
            RoleAssignment.role == Role.COUNCIL,
            (RoleAssignment.year == year) | RoleAssignment.year.is_(None),
        )
    )
    order = list(CouncilPosition)
    members = [(r.user, CouncilPosition(r.council_position)) for r in rows if r.user.active]
    return sorted(
        members, key=lambda m: (order.index(m[1]), m[0].staff.sort_key if m[0].staff else b"")
    )
