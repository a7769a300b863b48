"""Agency, units, staff, user accounts and role assignments."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import utcnow
from ..enums import CouncilPosition, DelegationPeriod, Gender, Role, UnitKind
from ..extensions import db
from ..states import DelegationState, sql_in, state_check
from ..text import name_sort_key, nfc
from ..timeutil import local_now


class Agency(db.Model):
    """The department's identity as every document prints it; one row, edited by the admin."""

    __tablename__ = "agency"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_body: Mapped[str] = mapped_column(String(200))  # "UBND TỈNH NINH THUẬN"
    # Written as in a sentence ("Sở Khoa học và Công nghệ"); headings print it upper-case.
    name: Mapped[str] = mapped_column(String(200))
    short_code: Mapped[str] = mapped_column(String(20))  # "SKHCN" in "05/QĐ-SKHCN"
    place_name: Mapped[str] = mapped_column(String(100))  # "Ninh Thuận, ngày …"
    director_name: Mapped[str] = mapped_column(String(120))
    director_title: Mapped[str] = mapped_column(String(120), default="Giám đốc")
    email: Mapped[str | None] = mapped_column(String(200))

    @classmethod
    def get(cls) -> Agency:
        agency = db.session.get(cls, 1)
        if agency is None:
            agency = cls(
                id=1,
                parent_body="UBND TỈNH NINH THUẬN",
                name="Sở Khoa học và Công nghệ",
                short_code="SKHCN",
                place_name="Ninh Thuận",
                director_name="",
                director_title="Giám đốc",
            )
            db.session.add(agency)
            db.session.flush()
        return agency


class Unit(db.Model):
    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # "QLKH" in "15/TTr-QLKH"
    kind: Mapped[UnitKind] = mapped_column(String(30))
    sort_order: Mapped[int] = mapped_column(default=100)
    active: Mapped[bool] = mapped_column(default=True)

    staff: Mapped[list[Staff]] = relationship(back_populates="unit")

    def __str__(self) -> str:
        return self.name


class Staff(db.Model):
    """A person of the department (cán bộ, công chức, viên chức, người lao động)."""

    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    # ICU vi_VN key of "given middle family": ORDER BY gives Vietnamese order on any database.
    sort_key: Mapped[bytes] = mapped_column(LargeBinary, index=True)
    position: Mapped[str] = mapped_column(String(120))  # chức vụ
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    gender: Mapped[Gender] = mapped_column(String(10))
    birth_date: Mapped[date | None]
    email: Mapped[str | None] = mapped_column(String(200))
    # NĐ 152/2025 Điều 4: under discipline, investigation, inspection or complaint: on hold.
    hold_reason: Mapped[str | None] = mapped_column(Text)
    hold_since: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)
    # Người lao động trực tiếp (not a leader or manager): set by the admin; the statistics and
    # the yearly report count them apart (the Law favours them when awarding).
    direct_worker: Mapped[bool] = mapped_column(default=False, server_default=false())

    unit: Mapped[Unit] = relationship(back_populates="staff")
    user: Mapped[User | None] = relationship(back_populates="staff")

    def set_name(self, name: str) -> None:
        self.full_name = nfc(name)
        self.sort_key = name_sort_key(self.full_name)

    @property
    def on_hold(self) -> bool:
        return bool(self.hold_reason)

    def __str__(self) -> str:
        return self.full_name


def password_hash_method() -> str:
    """scrypt (Werkzeug's default) unless PASSWORD_HASH_METHOD says otherwise: the tests use
    a cheap pbkdf2, since scrypt's 150 ms per hash was most of the suite's time."""
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return "scrypt"


_DUMMY_HASHES: dict[str, str] = {}


def password_matches(user: User | None, password: str) -> bool:
    """Check a password with the same work whether the account exists or not: an unknown name
    is checked against a dummy hash made with the configured method, so the answer's timing
    does not tell which usernames exist."""
    if user is None:
        method = password_hash_method()
        if method not in _DUMMY_HASHES:
            _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(16), method=method)
        check_password_hash(_DUMMY_HASHES[method], password)
        return False
    return check_password_hash(user.password_hash, password)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), unique=True)
    email: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    staff: Mapped[Staff | None] = relationship(back_populates="user", lazy="joined")
    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    delegations_received: Mapped[list[Delegation]] = relationship(
        foreign_keys="Delegation.substitute_id",
        back_populates="substitute",
        order_by="Delegation.starts_on",
        viewonly=True,
    )

    # Flask-Login
    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=password_hash_method())

    def check_password(self, password: str) -> bool:
        return password_matches(self, password)

    @property
    def display_name(self) -> str:
        return self.staff.full_name if self.staff else self.username

    def own_roles(self, year: int | None = None) -> list[RoleAssignment]:
        """The account's own assignments in force: for every year, or for the given one."""
        year = year or local_now().year
        return [r for r in self.roles if r.year is None or r.year == year]

    def delegations_in_force(self, day: date | None = None) -> list[Delegation]:
        """Periods in which this account stands in for someone (today, local time)."""
        day = day or local_now().date()
        return [d for d in self.delegations_received if d.in_force(day)]

    def current_roles(self, year: int | None = None) -> list[RoleAssignment]:
        """Assignments in force: the account's own, plus the delegable roles of everyone it
        stands in for today (access.principals() judges each of the two apart)."""
        roles = self.own_roles(year)
        for delegation in self.delegations_in_force():
            roles += delegation.roles(year)
        return roles

    @property
    def label(self) -> str:
        """Name and position, as the audit trail shows a substitute: "Trần Bình, Phó …"."""
        position = self.staff.position if self.staff else ""
        return f"{self.display_name}, {position}" if position else self.display_name

    def has_role(self, role: Role, year: int | None = None) -> bool:
        return any(r.role == role for r in self.current_roles(year))

    def unit_ids(self, *roles: Role) -> set[int]:
        return {r.unit_id for r in self.current_roles() if r.role in roles and r.unit_id}

    def council_position(self, year: int | None = None) -> CouncilPosition | None:
        for r in self.current_roles(year):
            if r.role == Role.COUNCIL:
                return CouncilPosition(r.council_position)
        return None

    def __str__(self) -> str:
        return self.display_name


class RoleAssignment(db.Model):
    """One role of one account, maybe scoped to a unit, maybe held for one year only."""

    __tablename__ = "role_assignment"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "unit_id", "year", name="one_role"),
        CheckConstraint(
            "(role IN ('unit_head', 'unit_clerk')) = (unit_id IS NOT NULL)", name="unit_scope"
        ),
        CheckConstraint(
            "(role = 'council_member') = (council_position IS NOT NULL)", name="council_position"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(String(30))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    council_position: Mapped[CouncilPosition | None] = mapped_column(String(20))
    year: Mapped[int | None]

    user: Mapped[User] = relationship(back_populates="roles")
    unit: Mapped[Unit | None] = relationship(lazy="joined")

    @property
    def title(self) -> str:
        text = Role(self.role).title_vi
        if self.council_position:
            text += f" ({CouncilPosition(self.council_position).title_vi})"
        if self.unit:
            text += f" – {self.unit.name}"
        if self.year:
            text += f", năm {self.year}"
        return text


# Roles a substitute can take over. Council membership is personal (a secret ballot cannot be
# cast by someone else: an absent member sends a written view), and so is administration.
DELEGABLE_ROLES = frozenset(
    {Role.UNIT_HEAD, Role.UNIT_CLERK, Role.OFFICE, Role.DIRECTOR, Role.CLERK}
)


class Delegation(db.Model):
    """A named substitute for a dated period (leave, business trip), both days included."""

    __tablename__ = "delegation"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="period_order"),
        CheckConstraint("substitute_id <> delegator_id", name="not_oneself"),
        state_check(DelegationState),
        CheckConstraint(
            f"({sql_in(DelegationState.CANCELLED)}) = (cancelled_at IS NOT NULL)",
            name="cancelled_at",
        ),
    )
    workflow = "delegation"  # its table in workflows/
    id: Mapped[int] = mapped_column(primary_key=True)
    delegator_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    substitute_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    state: Mapped[str] = mapped_column(
        String(20),
        default=DelegationState.IN_FORCE,
        server_default=str(DelegationState.IN_FORCE),
    )
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    delegator: Mapped[User] = relationship(foreign_keys=[delegator_id])
    substitute: Mapped[User] = relationship(
        foreign_keys=[substitute_id], back_populates="delegations_received"
    )

    def in_force(self, day: date) -> bool:
        return (
            self.state == DelegationState.IN_FORCE
            and self.starts_on <= day <= self.ends_on
            and self.delegator.active
            and self.substitute.active
        )

    def status(self, day: date) -> str:
        """A DelegationPeriod, or the cancelled state."""
        if self.state == DelegationState.CANCELLED:
            return DelegationState.CANCELLED
        if day < self.starts_on:
            return DelegationPeriod.PLANNED
        return DelegationPeriod.ENDED if day > self.ends_on else DelegationPeriod.ACTIVE

    def roles(self, year: int | None = None) -> list[RoleAssignment]:
        """The delegator's own delegable roles (never what they hold as someone's substitute)."""
        return [r for r in self.delegator.own_roles(year) if Role(r.role) in DELEGABLE_ROLES]

    @property
    def delegator_label(self) -> str:
        """ "Chánh Văn phòng Lê Văn An", as in "…, thay Chánh Văn phòng Lê Văn An"."""
        staff = self.delegator.staff
        position = staff.position if staff else ""
        return f"{position} {self.delegator.display_name}".strip()


class UserSession(db.Model):
    """One signed-in browser, recorded server-side (see org/sessions.py): the cookie carries a
    random token, this row only its hash; signing out deletes the row, so a replayed cookie
    finds nothing."""

    __tablename__ = "user_session"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
