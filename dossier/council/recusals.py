"""Nobody votes on themselves or on their own unit's collective, by any route.

The council's members and the listed nominees are matched when the meeting is created and
again when its vote opens; each match is a Recusal recorded by the system (`automatic`), which
every route of voting respects (the member's ballot, a written view the Thư ký enters for
them) and which the member's ballot page and the minutes show with its reason:

- the nominee is linked to the member's staff record;
- a nominee typed in by hand (no staff link) whose folded name (no diacritics, case or
  spaces) is the member's and who is in the member's unit or has the member's date of birth;
- a collective of the member's own unit.

domain.md §5: no recusal rule was found in the law; forbidding a vote on oneself and on one's
own unit's collective is the department's rule for a fair count.
"""

from __future__ import annotations

from sqlalchemy import select

from ..enums import NomineeKind
from ..extensions import db
from ..nominations.models import Nominee
from ..text import fold
from .models import Meeting, Recusal

SELF = "Là người được đề nghị khen thưởng."
TYPED_SELF = (
    "Người được đề nghị (nhập tay, không liên kết hồ sơ cán bộ) trùng họ tên và {what} "
    "với thành viên: coi là chính thành viên."
)
OWN_COLLECTIVE = "Tập thể thuộc đơn vị của thành viên ({unit})."


def compact(name: str) -> str:
    """The folded name without spaces: "Nguyễn Văn  An" == "nguyen van an" == "NguyenVanAn"."""
    return fold(name).replace(" ", "")


def reason_for(staff, nominee: Nominee, unit_id: int) -> str | None:
    """Why this member (their staff record) may not vote on this nominee, or None.

    unit_id: the nominee's unit in the list (the collective's own, or the proposing unit's).
    """
    if staff is None:
        return None
    if nominee.kind == NomineeKind.COLLECTIVE:
        unit = nominee.collective_unit_id or unit_id
        if unit == staff.unit_id:
            return OWN_COLLECTIVE.format(unit=staff.unit.name if staff.unit else "")
        return None
    if nominee.staff_id is not None:
        return SELF if nominee.staff_id == staff.id else None
    if compact(nominee.name) != compact(staff.full_name):
        return None
    born = nominee.report.birth_date if nominee.report else None
    if unit_id == staff.unit_id:
        return TYPED_SELF.format(what="đơn vị")
    if born is not None and born == staff.birth_date:
        return TYPED_SELF.format(what="ngày sinh")
    return None


def record_automatic(meeting: Meeting, rows) -> list[Recusal]:
    """Add the recusals the members and the listed nominees call for (idempotent)."""
    nominees = {
        n.id: n
        for n in db.session.scalars(
            select(Nominee).where(Nominee.id.in_([r.nominee_id for r in rows]))
        )
    }
    have = {
        (m, n)
        for m, n in db.session.execute(
            select(Recusal.member_id, Recusal.nominee_id).where(Recusal.meeting_id == meeting.id)
        )
    }
    added = []
    for a in meeting.attendance:
        staff = a.member.staff
        for row in rows:
            if (a.member_id, row.nominee_id) in have:
                continue
            reason = reason_for(staff, nominees[row.nominee_id], row.unit_id)
            if reason:
                added.append(
                    Recusal(
                        meeting_id=meeting.id,
                        member_id=a.member_id,
                        nominee_id=row.nominee_id,
                        reason=reason,
                        automatic=True,
                    )
                )
    db.session.add_all(added)
    db.session.flush()
    return added


def of_member(meeting: Meeting, member_id: int) -> dict[int, Recusal]:
    return {
        r.nominee_id: r
        for r in db.session.scalars(
            select(Recusal).where(Recusal.meeting_id == meeting.id, Recusal.member_id == member_id)
        )
    }
