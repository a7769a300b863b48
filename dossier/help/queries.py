"""What the help box shows: the entries for this page and the user's roles, the next
cut-off, and the Văn phòng's officers to ask."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..enums import Role
from ..extensions import db
from ..timeutil import now
from .content import ASK, GUIDES, PAGES, SLUGS


@dataclass(frozen=True)
class Entry:
    role: Role
    text: str
    ask: str
    guide: str  # the slug of the role's guide
    guide_title: str


def roles_of(user) -> list[Role]:
    """The user's roles (own and stood in for), once each, in Role order."""
    held = {str(r.role) for r in user.current_roles()}
    return [r for r in Role if r.value in held]


def entries(user, endpoint: str | None) -> list[Entry]:
    page = PAGES.get(endpoint or "", {})
    out, seen = [], set()
    for role in roles_of(user):
        text = page.get(role)
        if text and text not in seen:  # a head who is also a clerk reads it once
            seen.add(text)
            out.append(Entry(role, text, ASK[role], SLUGS[role], GUIDES[role]["title"]))
    return out


def office_people() -> list[str]:
    """Names of those holding the Văn phòng's role: whom a unit can call."""
    from ..org.models import RoleAssignment, User

    users = db.session.scalars(
        select(User).join(RoleAssignment).where(RoleAssignment.role == Role.OFFICE).distinct()
    ).all()
    return sorted({u.display_name for u in users if u.active})


def next_cutoff():
    """The nearest cut-off still ahead, for pages that have no campaign of their own."""
    from ..campaigns.models import Campaign

    return db.session.scalar(
        select(Campaign).where(Campaign.cutoff_at > now()).order_by(Campaign.cutoff_at).limit(1)
    )


def guide(slug: str):
    for role, s in SLUGS.items():
        if s == slug:
            return role, GUIDES[role]
    return None, None
