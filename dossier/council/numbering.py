"""The council's minutes take their number from the agency's register ("01/BB-HĐTĐKT"):
the Văn thư gives it once the vote is closed, the next of the sequence or a number typed
from the agency's system (Nghị định 30/2020/NĐ-CP, Điều 15). Nothing here commits."""

from __future__ import annotations

from sqlalchemy import select

from .. import audit
from ..access import Action, require
from ..enums import DocKind
from ..errors import DomainError
from ..extensions import db
from ..register import operations as register
from .models import Meeting

COUNCIL_CODE = "HĐTĐKT"  # the council's code in its documents' numbers


def number_minutes(actor, meeting: Meeting, *, number: str | None = None) -> str:
    verdict = require(actor, Action.MANAGE_REGISTER, meeting, "Chỉ Văn thư cấp số biên bản.")
    if not meeting.counted:
        raise DomainError("Biên bản chỉ được cấp số sau khi đóng biểu quyết.")
    if meeting.minutes_number:
        raise DomainError(f"Biên bản đã có số {meeting.minutes_number}; không cấp lần hai.")
    typed = register.parse_typed(number, DocKind.MINUTES, COUNCIL_CODE)
    given = register.take(
        DocKind.MINUTES,
        COUNCIL_CODE,
        meeting.held_on.year,
        typed=typed,
        object_type="meeting",
        object_id=meeting.id,
        actor=actor,
    )
    meeting.minutes_number = register.code(given, DocKind.MINUTES, COUNCIL_CODE)
    db.session.flush()
    audit.record(
        actor=actor,
        action="minutes_numbered",
        object_type="meeting",
        object_id=meeting.id,
        data={"number": meeting.minutes_number, "typed": typed is not None},
        verdict=verdict,
    )
    return meeting.minutes_number


def waiting_minutes() -> list[Meeting]:
    """Closed meetings whose minutes have no number yet (the register page lists them)."""
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.minutes_number.is_(None)).order_by(Meeting.held_on)
    )
    return [m for m in meetings if m.counted]
