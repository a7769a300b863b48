"""Gather a closed meeting into MinutesData for the minutes PDF (and the decision)."""

from __future__ import annotations

from sqlalchemy import select

from .. import audit
from ..enums import CouncilPosition, ThresholdBase
from ..extensions import db
from ..org.models import Agency
from ..states import MeetingTrigger
from ..workflow import event_of
from .closing import history
from .minutes_data import HistoryLine, MemberLine, MinutesData, RecusalLine, ResultLine
from .models import BallotReceipt, Meeting, Recusal
from .operations import quorum, rows
from .thresholds import shown as percent
from .thresholds import threshold_words


def base_words(kind: str, meeting: Meeting) -> str:
    """What the threshold is a share of, in the minutes' words: for "members present", who
    exactly (the base and the numerator count the same people, count.py)."""
    if ThresholdBase(kind) != ThresholdBase.PRESENT:
        return ThresholdBase(kind).title_vi
    if meeting.written_views_count:
        return "số thành viên có mặt và thành viên vắng mặt có ý kiến bằng văn bản"
    return ThresholdBase.PRESENT.title_vi


def minutes_data(meeting: Meeting) -> MinutesData:
    agency = Agency.get()
    written = set(
        db.session.scalars(
            select(BallotReceipt.member_id).where(
                BallotReceipt.meeting_id == meeting.id,
                BallotReceipt.round == meeting.round,
                BallotReceipt.written.is_(True),
            )
        )
    )
    order = list(CouncilPosition)
    attendance = sorted(meeting.attendance, key=lambda a: order.index(CouncilPosition(a.position)))
    members = [
        MemberLine(
            name=a.member.display_name,
            position=CouncilPosition(a.position).title_vi,
            office=a.member.staff.position if a.member.staff else "",
            present=a.present,
            written=a.member_id in written,
        )
        for a in attendance
    ]

    def named(position):
        return next(
            (m.name for a, m in zip(attendance, members, strict=True) if a.position == position), ""
        )

    present, total, ok = quorum(meeting)
    results = {r.nominee_id: r for r in meeting.current_results}
    nominee_rows = {r.nominee_id: r for r in rows(meeting)}
    lines = []
    for row in nominee_rows.values():
        r = results.get(row.nominee_id)
        if r is None:
            continue
        form = next(f for f in meeting.campaign.award_forms if f.code == row.form_code)
        lines.append(
            ResultLine(
                name=row.name,
                kind=row.kind,
                unit=row.unit_name,
                form=row.form_name,
                form_level=row.form_level,
                method=r.method,
                issued=r.issued,
                returned=r.returned,
                valid=r.valid,
                agree=r.agree,
                base=r.base,
                base_words=base_words(form.threshold_base, meeting),
                threshold=threshold_words(r.threshold_pct, r.strict),
                percent="—" if r.withheld else percent(r.agree, r.base),
                passed=r.passed,
                withheld=r.withheld,
            )
        )
    earlier = [
        HistoryLine(
            round=r.round,
            name=nominee_rows[r.nominee_id].name,
            unit=nominee_rows[r.nominee_id].unit_name,
            form=nominee_rows[r.nominee_id].form_name,
            method=r.method,
            issued=r.issued,
            returned=r.returned,
            valid=r.valid,
            agree=r.agree,
            percent="—" if r.withheld else percent(r.agree, r.base),
            passed=r.passed,
            withheld=r.withheld,
        )
        for r in history(meeting)
        if r.nominee_id in nominee_rows
    ]
    names = {a.member_id: m for a, m in zip(attendance, members, strict=True)}
    recusals = [
        RecusalLine(
            member=" – ".join(x for x in (names[r.member_id].name, names[r.member_id].office) if x)
            if r.member_id in names
            else "",
            nominee=nominee_rows[r.nominee_id].name if r.nominee_id in nominee_rows else "",
            unit=nominee_rows[r.nominee_id].unit_name if r.nominee_id in nominee_rows else "",
            reason=r.reason,
        )
        for r in db.session.scalars(
            select(Recusal).where(Recusal.meeting_id == meeting.id).order_by(Recusal.id)
        )
    ]
    reopened = [
        e.comment
        for e in audit.timeline("meeting", meeting.id)
        if e.action == event_of(MeetingTrigger.REOPEN) and e.comment
    ]
    return MinutesData(
        agency_parent=agency.parent_body,
        agency_name=agency.name,
        place_name=agency.place_name,
        campaign=meeting.campaign.name,
        meeting_date=meeting.held_on,
        meeting_place=meeting.place,
        list_version=meeting.list_version.number,
        chair=named(CouncilPosition.CHAIR),
        secretary=named(CouncilPosition.SECRETARY),
        members=members,
        quorum_words=f"có mặt {present}/{total} thành viên, "
        + (
            f"đủ {meeting.quorum_num}/{meeting.quorum_den} theo quy định"
            if ok
            else "không đủ số lượng theo quy định"
        ),
        guests=[g for g in (meeting.guests or "").splitlines() if g.strip()],
        results=lines,
        reopened_reasons=reopened,
        opened_at=meeting.opened_at,
        closed_at=meeting.closed_at,
        recusals=recusals,
        year=meeting.campaign.year,
        number=meeting.minutes_number,
        round=meeting.round,
        min_ballots=meeting.min_ballots,
        history=earlier,
    )
