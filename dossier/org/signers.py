"""Who signs a document of the Văn phòng, and how (NĐ 30: "KT." when a deputy signs).

The Chánh Văn phòng is the OFFICE account whose position says so (as for escalations);
when they are away, the substitute they named (dossier/org/delegation.py) signs
"KT. CHÁNH VĂN PHÒNG" over their own position ("PHÓ CHÁNH VĂN PHÒNG").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..enums import Role
from ..extensions import db
from ..timeutil import local_now
from .models import RoleAssignment, User

CHIEF_OF_OFFICE = "Chánh Văn phòng"


@dataclass(frozen=True)
class Signer:
    lines: list[str]  # ["CHÁNH VĂN PHÒNG"] or ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"]
    name: str


def chief_of_office() -> User | None:
    users = db.session.scalars(
        select(User)
        .join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role == Role.OFFICE, User.active.is_(True))
        .order_by(User.id)
    ).unique()
    return next(
        (
            u
            for u in users
            if u.staff is not None
            and (u.staff.position or "").strip().casefold().startswith(CHIEF_OF_OFFICE.casefold())
        ),
        None,
    )


def office_signer(day: date | None = None) -> Signer:
    """The Chánh Văn phòng, or whoever stands in for them on `day` (signing "KT.")."""
    day = day or local_now().date()
    chief = chief_of_office()
    title = CHIEF_OF_OFFICE.upper()
    if chief is None:
        return Signer([title], "")
    from .delegation import substitutes_for

    standing_in = substitutes_for([chief], day)
    if standing_in:
        substitute, _ = standing_in[0]
        position = (substitute.staff.position if substitute.staff else "") or ""
        return Signer(
            [f"KT. {title}", (position or f"Phó {CHIEF_OF_OFFICE}").upper()],
            substitute.display_name,
        )
    return Signer([title], chief.display_name)
