"""The workflow guards named in workflows/meeting.py."""

from __future__ import annotations

from ..errors import DomainError
from ..workflow import Context, guard
from .models import Meeting


def quorum(meeting: Meeting) -> tuple[int, int, bool]:
    """(present, members, met): the quorum is a share of the members, per meeting."""
    members = len(meeting.attendance)
    present = sum(a.present for a in meeting.attendance)
    return present, members, present * meeting.quorum_den >= members * meeting.quorum_num


@guard("quorum", "đủ số thành viên dự họp")
def quorum_met(meeting: Meeting, ctx: Context) -> None:
    present, members, ok = quorum(meeting)
    if not ok:
        raise DomainError(
            f"Chưa đủ số thành viên dự họp: có mặt {present}/{members}, cần ít "
            f"nhất {meeting.quorum_num}/{meeting.quorum_den} số thành viên."
        )
