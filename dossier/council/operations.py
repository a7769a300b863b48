"""The council's acts. Each checks who acts and in which state, audits, never commits.

Ballots: see models.py and ballot_box.py for how secrecy is kept. The audit trail records
that a member voted (and on how many nominees), never what. Receipts and paper tallies
belong to the meeting's current round (closing.py); recusals hold for every round
(recusals.py records those nobody may skip: oneself, one's own unit's collective).
"""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified

from .. import audit
from ..access import Action
from ..errors import DomainError
from ..extensions import db
from ..intake.models import ListVersion
from ..nominations.models import Nominee
from ..org.operations import council_members
from ..states import MeetingTrigger
from ..text import nfc
from ..workflow import Context, fire, operation
from . import ballot_box
from . import recusals as recusal_rules
from .closing import close_vote, history, reopen_vote  # noqa: F401  (registers the rows)
from .common import allowed as _allowed
from .common import expect as _expect
from .common import locked_open as _locked_open
from .common import rows
from .count import electorate, possible
from .guards import quorum
from .models import (
    Attendance,
    BallotReceipt,
    CouncilSetting,
    Meeting,
    PaperTally,
    Recusal,
    SealedBallot,
)


def create_meeting(
    actor, campaign, *, held_on: date, place: str, guests: str | None, year: int | None = None
) -> Meeting:
    verdict = _allowed(actor, Action.MANAGE_MEETING, None, "tạo phiên họp Hội đồng")
    version = db.session.scalar(
        select(ListVersion)
        .where(ListVersion.campaign_id == campaign.id)
        .order_by(ListVersion.number.desc())
        .limit(1)
    )
    if version is None:
        raise DomainError("Văn phòng chưa gửi danh sách tổng hợp cho Hội đồng.")
    year = year or campaign.year
    members = council_members(year)
    if not members:
        raise DomainError(f"Chưa có thành viên Hội đồng năm {year}.")
    if not nfc(place):
        raise DomainError("Cần ghi địa điểm họp.")
    meeting = Meeting(
        campaign_id=campaign.id,
        list_version_id=version.id,
        year=year,
        held_on=held_on,
        place=nfc(place),
        guests=nfc(guests) or None,
        created_by_id=actor.id,
    )
    setting = CouncilSetting.get()  # how this meeting counts, fixed now
    meeting.written_views_count = setting.written_views_count
    meeting.min_ballots = setting.min_ballots
    meeting.attendance = [
        Attendance(member_id=u.id, position=p.value, present=False) for u, p in members
    ]
    db.session.add(meeting)
    db.session.flush()
    recusal_rules.record_automatic(meeting, rows(meeting))
    audit.record(
        actor=actor,
        action="meeting_created",
        object_type="meeting",
        object_id=meeting.id,
        data={"list_version": version.number, "year": year},
        verdict=verdict,
    )
    return meeting


def set_attendance(actor, meeting: Meeting, *, version, present_ids: set[int]) -> None:
    verdict = _allowed(actor, Action.MANAGE_MEETING, meeting, "ghi danh sách có mặt")
    _expect(meeting, version)
    if not meeting.preparing:
        raise DomainError("Chỉ ghi danh sách có mặt trước khi mở biểu quyết.")
    known = {a.member_id for a in meeting.attendance}
    if present_ids - known:
        raise DomainError("Danh sách có mặt có người không phải thành viên Hội đồng.")
    for a in meeting.attendance:
        a.present = a.member_id in present_ids
    flag_modified(meeting, "place")  # attendance is the meeting's: bump its version
    db.session.flush()
    audit.record(
        actor=actor,
        action="attendance_recorded",
        object_type="meeting",
        object_id=meeting.id,
        data={"present": len(present_ids), "members": len(known)},
        verdict=verdict,
    )


@operation(MeetingTrigger.OPEN)
def open_vote(actor, meeting: Meeting, *, version) -> None:
    """The chair opens the vote once the quorum is met (the row's guard)."""
    _expect(meeting, version)
    present, members, _ = quorum(meeting)
    recusal_rules.record_automatic(meeting, rows(meeting))  # members or list changed since
    fire(
        meeting,
        MeetingTrigger.OPEN,
        Context(actor=actor, extra={"present": present, "members": members}),
    )  # the members are told, with links to vote (council/notifications.py)


def _record(meeting: Meeting, member_id: int, votes: dict[int, bool], *, written: bool) -> None:
    voteable = {r.nominee_id for r in rows(meeting)}
    unknown = set(votes) - voteable
    if unknown:
        raise DomainError("Phiếu có người không thuộc danh sách của phiên họp.")
    if _papered(meeting) & set(votes):
        raise DomainError("Có người đã được bỏ phiếu giấy, không bỏ phiếu điện tử được nữa.")
    recused = recusal_rules.of_member(meeting, member_id)
    clash = [recused[nid] for nid in votes if nid in recused]
    if clash:
        raise DomainError(
            "Thành viên này không tham gia biểu quyết người được đề nghị: "
            + clash[0].reason.rstrip(".")
            + ". Không phiếu nào trong lần gửi này được ghi nhận."
        )
    if not votes:
        return  # recusals only
    receipts = [
        {
            "meeting_id": meeting.id,
            "member_id": member_id,
            "nominee_id": nid,
            "round": meeting.round,
            "written": written,
        }
        for nid in votes
    ]
    secrets.SystemRandom().shuffle(receipts)  # no order of writing to pair with anything
    try:
        with db.session.begin_nested():  # its own savepoint: a second ballot undoes these only
            db.session.execute(insert(BallotReceipt.__table__), receipts)  # Core: no ORM cost
    except IntegrityError as err:
        raise DomainError(
            "Đã có phiếu cho người này; mỗi thành viên chỉ bỏ phiếu một lần. "
            "Không phiếu nào trong lần gửi này được ghi nhận."
        ) from err
    _reseal(meeting, votes)


def _reseal(meeting: Meeting, votes: dict[int, bool]) -> None:
    """Write each voted nominee's ballot box anew: its stored ballots opened and sealed again
    (fresh nonces, new tokens) with the new one, in a random order.

    The receipts just written share this transaction (PostgreSQL's xmin, the pages SQLite
    writes); so do all of the nominee's ballots, not just the new one. Every ballot of a
    nominee then carries the mark of the latest voter on them, and none stands out; two
    copies of the database taken at different times share no ciphertext either.
    Voters on a meeting queue on its row (_locked_open), so no ballot is lost or doubled.
    """
    where = (SealedBallot.meeting_id == meeting.id, SealedBallot.nominee_id.in_(sorted(votes)))
    stored = db.session.execute(select(SealedBallot.nominee_id, SealedBallot.sealed).where(*where))
    rows = ballot_box.reseal(meeting.id, stored.all(), votes)
    db.session.execute(
        delete(SealedBallot).where(*where), execution_options={"synchronize_session": False}
    )
    db.session.execute(insert(SealedBallot.__table__), rows)


def cast(
    actor, meeting: Meeting, *, votes: dict[int, bool], recusals: dict[int, str] | None = None
) -> int:
    """A present member's secret ballot on some nominees, and recusals on others."""
    recusals_asked = recusals  # the parameter's name is the API's; the module is recusal_rules
    verdict = _allowed(actor, Action.VOTE, meeting, "bỏ phiếu (thành viên Hội đồng)")
    _locked_open(meeting, ballots=True)
    me = next((a for a in meeting.attendance if a.member_id == actor.id), None)
    if me is None or not me.present:
        raise DomainError(
            "Chỉ thành viên có mặt mới bỏ phiếu điện tử; ý kiến bằng văn bản của "
            "thành viên vắng mặt do Thư ký ghi nhận."
        )
    own = {r.nominee_id for r in rows(meeting)} & own_nominations(actor)
    if own & (set(votes) | set(recusals_asked or {})):
        raise DomainError("Thành viên không bỏ phiếu cho chính mình.")
    already = recusal_rules.of_member(meeting, actor.id)
    papered = _papered(meeting)
    voted = _voted(meeting, actor.id)
    for nominee_id, reason in (recusals_asked or {}).items():
        if not nfc(reason):
            raise DomainError("Cần ghi lý do không tham gia biểu quyết.")
        if nominee_id in votes:
            raise DomainError("Không thể vừa bỏ phiếu vừa xin không tham gia cho cùng một người.")
        if nominee_id in papered or nominee_id in voted:
            raise DomainError(
                "Người này đã có phiếu của anh/chị hoặc đã kiểm phiếu giấy: không xin không "
                "tham gia biểu quyết được nữa."
            )
        if nominee_id in already:
            continue  # recorded already (by the system, or earlier): nothing to add
        db.session.add(
            Recusal(
                meeting_id=meeting.id, member_id=actor.id, nominee_id=nominee_id, reason=nfc(reason)
            )
        )
    if not votes and not recusals_asked:
        raise DomainError("Chưa chọn đồng ý hay không đồng ý cho người nào.")
    _record(meeting, actor.id, votes, written=False)
    audit.record(
        actor=actor,
        action="ballot_cast",
        object_type="meeting",
        object_id=meeting.id,
        data={
            "nominees": len(votes),
            "recusals": len(recusals_asked or {}),
            "round": meeting.round,
        },
        verdict=verdict,
    )
    return len(votes)


def own_nominations(user) -> set[int]:
    if not user.staff_id:
        return set()
    return set(db.session.scalars(select(Nominee.id).where(Nominee.staff_id == user.staff_id)))


def record_written(actor, meeting: Meeting, *, member_id: int, votes: dict[int, bool]) -> int:
    """An absent member's written view, entered by the Thư ký, counted as their vote."""
    verdict = _allowed(
        actor, Action.SECRETARY, meeting, "ghi ý kiến bằng văn bản (Thư ký Hội đồng)"
    )
    _locked_open(meeting, ballots=True)
    member = next((a for a in meeting.attendance if a.member_id == member_id), None)
    if member is None:
        raise DomainError("Người này không phải thành viên Hội đồng.")
    if member.present:
        raise DomainError(
            "Thành viên có mặt tự bỏ phiếu; ý kiến bằng văn bản chỉ dành cho thành viên vắng mặt."
        )
    if not meeting.written_views_count:
        raise DomainError(
            "Theo cài đặt của Hội đồng khi tạo phiên họp, ý kiến bằng văn bản của thành viên "
            "vắng mặt không được tính vào kết quả."
        )
    if own_nominations(member.member) & set(votes):
        raise DomainError("Thành viên không bỏ phiếu cho chính mình.")
    _record(meeting, member_id, votes, written=True)
    audit.record(
        actor=actor,
        action="written_vote_recorded",
        object_type="meeting",
        object_id=meeting.id,
        data={"member": member.member.display_name, "nominees": len(votes)},
        verdict=verdict,
    )
    return len(votes)


def enter_paper_tally(
    actor, meeting: Meeting, *, nominee_id: int, issued: int, returned: int, valid: int, agree: int
) -> None:
    verdict = _allowed(
        actor, Action.SECRETARY, meeting, "nhập kết quả kiểm phiếu (Thư ký Hội đồng)"
    )
    _locked_open(meeting)
    if nominee_id not in {r.nominee_id for r in rows(meeting)}:
        raise DomainError("Người này không thuộc danh sách của phiên họp.")
    present_ids = {a.member_id for a in meeting.attendance if a.present}
    recused = db.session.scalar(
        select(func.count())
        .select_from(Recusal)
        .where(
            Recusal.meeting_id == meeting.id,
            Recusal.nominee_id == nominee_id,
            Recusal.member_id.in_(present_ids),
        )
    )
    # Paper ballots go to the members present who may vote on the nominee: written views
    # are electronic and never mix with a paper count.
    limit = electorate(
        present=len(present_ids), recused_present=recused, written=0, count_written=True
    )
    possible(issued=issued, returned=returned, valid=valid, agree=agree, limit=limit)
    if db.session.scalar(
        select(func.count())
        .select_from(BallotReceipt)
        .where(
            BallotReceipt.meeting_id == meeting.id,
            BallotReceipt.nominee_id == nominee_id,
            BallotReceipt.round == meeting.round,
        )
    ):
        raise DomainError("Người này đã có phiếu điện tử; không nhập phiếu giấy được.")
    tally = db.session.scalar(
        select(PaperTally).where(
            PaperTally.meeting_id == meeting.id,
            PaperTally.nominee_id == nominee_id,
            PaperTally.round == meeting.round,
        )
    )
    if tally is None:
        tally = PaperTally(
            meeting_id=meeting.id,
            nominee_id=nominee_id,
            round=meeting.round,
            entered_by_id=actor.id,
        )
        db.session.add(tally)
    tally.issued, tally.returned, tally.valid, tally.agree = issued, returned, valid, agree
    db.session.flush()
    audit.record(
        actor=actor,
        action="paper_tally_entered",
        object_type="meeting",
        object_id=meeting.id,
        data={
            "nominee_id": nominee_id,
            "issued": issued,
            "returned": returned,
            "valid": valid,
            "agree": agree,
        },
        verdict=verdict,
    )


def progress(meeting: Meeting) -> dict:
    """How many have voted, never how: what anyone may see while the vote is open."""
    this_round = (BallotReceipt.meeting_id == meeting.id, BallotReceipt.round == meeting.round)
    voters = db.session.scalar(
        select(func.count(func.distinct(BallotReceipt.member_id))).where(*this_round)
    )
    per_nominee = dict(
        db.session.execute(
            select(BallotReceipt.nominee_id, func.count())
            .where(*this_round)
            .group_by(BallotReceipt.nominee_id)
        ).all()
    )
    return {"voters": voters, "per_nominee": per_nominee}


def _voted(meeting: Meeting, member_id: int) -> set[int]:
    """The nominees the member has voted on in the current round."""
    return set(
        db.session.scalars(
            select(BallotReceipt.nominee_id).where(
                BallotReceipt.meeting_id == meeting.id,
                BallotReceipt.member_id == member_id,
                BallotReceipt.round == meeting.round,
            )
        )
    )


def _papered(meeting: Meeting) -> set[int]:
    """The nominees counted on paper in the current round."""
    return set(
        db.session.scalars(
            select(PaperTally.nominee_id).where(
                PaperTally.meeting_id == meeting.id, PaperTally.round == meeting.round
            )
        )
    )


def still_to_vote(meeting: Meeting, member_id: int) -> set[int]:
    done = _voted(meeting, member_id)
    recused = set(recusal_rules.of_member(meeting, member_id))
    return {r.nominee_id for r in rows(meeting)} - done - recused - _papered(meeting)
