"""Who is asking, and what the permission layer answers: a user judged with their own roles
or with those held through one delegation (Principal, frozen Grants), and the Verdict
`judge()` returns (truthy, and on whose behalf). Pure: nothing is written anywhere.

Split out of access.py, which re-exports every name here; the rules stay there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .enums import CouncilPosition, Role
from .org.models import DELEGABLE_ROLES
from .timeutil import local_now

# --- who is asking: the user's own roles, or the roles held through one delegation --------


@dataclass(frozen=True)
class Grant:
    """One role assignment, frozen: what a rule reads (never the ORM row itself)."""

    role: Role
    unit_id: int | None = None
    council_position: CouncilPosition | None = None
    year: int | None = None

    @classmethod
    def of(cls, assignment) -> Grant:
        position = assignment.council_position
        return cls(
            Role(assignment.role),
            assignment.unit_id,
            CouncilPosition(position) if position else None,
            assignment.year,
        )


@dataclass(frozen=True)
class Principal:
    """A user judged with one set of roles: their own, or those held through `via` (a
    Delegation in force). Immutable: a check never changes who the user is."""

    user: object
    grants: tuple[Grant, ...]
    via: object | None = None  # the Delegation these roles come from; None = the user's own

    @property
    def id(self) -> int:
        return self.user.id

    @classmethod
    def own(cls, user) -> Principal:
        return cls(user, tuple(Grant.of(r) for r in user.roles))

    @classmethod
    def through(cls, user, delegation) -> Principal:
        """The delegator's own delegable roles (never what they hold as someone's substitute)."""

        grants = [Grant.of(r) for r in delegation.delegator.roles]
        return cls(user, tuple(g for g in grants if g.role in DELEGABLE_ROLES), delegation)

    def roles(self, year: int | None = None) -> list[Grant]:
        """Grants in force for every year, or for the given one (default: this year)."""
        year = year or local_now().year
        return [g for g in self.grants if g.year is None or g.year == year]

    def has_role(self, role: Role, year: int | None = None) -> bool:
        return any(g.role == role for g in self.roles(year))

    def unit_ids(self, *roles: Role) -> set[int]:
        return {g.unit_id for g in self.roles() if g.role in roles and g.unit_id}

    def council_position(self, year: int | None = None) -> CouncilPosition | None:
        for g in self.roles(year):
            if g.role == Role.COUNCIL:
                return g.council_position
        return None


def principals(user) -> list[Principal]:
    """The user's own roles first, then one principal per delegation in force today."""
    own = Principal.own(user)
    delegations = user.delegations_in_force() if hasattr(user, "delegations_in_force") else []
    return [own, *(Principal.through(user, d) for d in delegations)]


@dataclass(frozen=True)
class Verdict:
    """The answer to "may this user do this?": truthy when allowed; `on_behalf_of` is the
    Delegation through which it was allowed (the audit trail then names both people)."""

    allowed: bool
    on_behalf_of: object | None = None

    def __bool__(self) -> bool:
        return self.allowed


DENIED = Verdict(False)


def _active(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def judge(user, check: Callable[[Principal], bool]) -> Verdict:
    """Judge `check` with the user's own roles, then with each delegation's; the first that
    passes says on whose behalf. A Principal is judged as it is (already narrowed). Pure:
    nothing is written anywhere."""
    if isinstance(user, Principal):
        return Verdict(True, user.via) if _active(user.user) and check(user) else DENIED
    if not _active(user):
        return DENIED
    scopes = principals(user)
    for principal in scopes:
        if check(principal):
            return Verdict(True, principal.via)
    if len(scopes) > 1:  # own and delegated roles together (rare): no single "on behalf of"
        together = Principal(user, tuple(g for p in scopes for g in p.grants))
        if check(together):
            return Verdict(True)
    return DENIED
