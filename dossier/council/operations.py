"""The council's acts. Each checks who acts and in which state, audits, never commits.

Ballots: see models.py and ballot_box.py for how secrecy is kept. The audit trail records
that a member voted (and on how many nominees), never what.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified

from .. import audit
from ..access import Action, Verdict, require
from ..enums import AwardLevel, NomineeStatus
from ..errors import ConflictError, DomainError
from ..extensions import db
from ..intake.models import ListVersion
from ..nominations.models import Dossier, Nominee
from ..org.operations import council_members
from ..states import MEETING_VOTING, DossierTrigger, MeetingTrigger
from ..text import nfc
from ..workflow import Context, cause, check, fire, operation, sources
from . import ballot_box, erasure
from .guards import quorum
from .models import Attendance, BallotReceipt, Meeting, PaperTally, Recusal, Result, SealedBallot
from .thresholds import base_for, passes


def _expect(meeting: Meeting, version) -> None:
    if str(meeting.version) != str(version):
        raise ConflictError("Phiên họp vừa được người khác cập nhật; hãy tải lại trang.")


def _allowed(actor, action: Action, meeting: Meeting | None, words: str) -> Verdict:
    return require(actor, action, meeting, f"Anh/chị không có quyền {words}.")


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
    meeting.attendance = [
        Attendance(member_id=u.id, position=p.value, present=False) for u, p in members
    ]
    db.session.add(meeting)
    db.session.flush()
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
    fire(
        meeting,
        MeetingTrigger.OPEN,
        Context(actor=actor, extra={"present": present, "members": members}),
    )  # the members are told, with links to vote (council/notifications.py)


def rows(meeting: Meeting):
    """The frozen list the council votes on (ListRow objects)."""
    return meeting.list_version.consolidated().rows


def _locked_open(meeting: Meeting, *, ballots: bool = False) -> None:
    """Lock the meeting row so closing cannot interleave with a ballot: shared for a paper
    tally, exclusive for ballots (each rewrites the nominees' sealed ballots, see _reseal)."""
    lock = {"key_share": True} if ballots else {"read": True}
    state = db.session.execute(
        select(Meeting.state).where(Meeting.id == meeting.id).with_for_update(**lock)
    ).scalar_one()
    if state not in MEETING_VOTING:
        raise DomainError("Biểu quyết không mở (chưa mở hoặc đã đóng): phiếu không được ghi nhận.")


def _record(meeting: Meeting, member_id: int, votes: dict[int, bool], *, written: bool) -> None:
    voteable = {r.nominee_id for r in rows(meeting)}
    unknown = set(votes) - voteable
    if unknown:
        raise DomainError("Phiếu có người không thuộc danh sách của phiên họp.")
    papered = set(
        db.session.scalars(
            select(PaperTally.nominee_id).where(
                PaperTally.meeting_id == meeting.id, PaperTally.nominee_id.in_(votes)
            )
        )
    )
    if papered:
        raise DomainError("Có người đã được bỏ phiếu giấy, không bỏ phiếu điện tử được nữa.")
    recused = set(
        db.session.scalars(
            select(Recusal.nominee_id).where(
                Recusal.meeting_id == meeting.id, Recusal.member_id == member_id
            )
        )
    )
    if recused & set(votes):
        raise DomainError("Anh/chị đã xin không tham gia biểu quyết người này.")
    if not votes:
        return  # recusals only
    receipts = [
        {"meeting_id": meeting.id, "member_id": member_id, "nominee_id": nid, "written": written}
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
    verdict = _allowed(actor, Action.VOTE, meeting, "bỏ phiếu (thành viên Hội đồng)")
    _locked_open(meeting, ballots=True)
    me = next((a for a in meeting.attendance if a.member_id == actor.id), None)
    if me is None or not me.present:
        raise DomainError(
            "Chỉ thành viên có mặt mới bỏ phiếu điện tử; ý kiến bằng văn bản của "
            "thành viên vắng mặt do Thư ký ghi nhận."
        )
    own = {r.nominee_id for r in rows(meeting)} & own_nominations(actor)
    if own & (set(votes) | set(recusals or {})):
        raise DomainError("Thành viên không bỏ phiếu cho chính mình.")
    for nominee_id, reason in (recusals or {}).items():
        if not nfc(reason):
            raise DomainError("Cần ghi lý do không tham gia biểu quyết.")
        if nominee_id in votes:
            raise DomainError("Không thể vừa bỏ phiếu vừa xin không tham gia cho cùng một người.")
        db.session.add(
            Recusal(
                meeting_id=meeting.id, member_id=actor.id, nominee_id=nominee_id, reason=nfc(reason)
            )
        )
    if not votes and not recusals:
        raise DomainError("Chưa chọn đồng ý hay không đồng ý cho người nào.")
    _record(meeting, actor.id, votes, written=False)
    audit.record(
        actor=actor,
        action="ballot_cast",
        object_type="meeting",
        object_id=meeting.id,
        data={"nominees": len(votes), "recusals": len(recusals or {})},
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
    present, members, _ = quorum(meeting)
    numbers = [agree, valid, returned, issued]
    if any(n < 0 for n in numbers):
        raise DomainError("Số phiếu không được âm.")
    if not agree <= valid <= returned <= issued <= present:
        raise DomainError(
            "Kết quả kiểm phiếu không hợp lý: phải có số đồng ý ≤ số phiếu hợp lệ ≤ số phiếu "
            f"thu về ≤ số phiếu phát ra ≤ số thành viên có mặt ({present})."
        )
    if db.session.scalar(
        select(func.count())
        .select_from(BallotReceipt)
        .where(BallotReceipt.meeting_id == meeting.id, BallotReceipt.nominee_id == nominee_id)
    ):
        raise DomainError("Người này đã có phiếu điện tử; không nhập phiếu giấy được.")
    tally = db.session.scalar(
        select(PaperTally).where(
            PaperTally.meeting_id == meeting.id, PaperTally.nominee_id == nominee_id
        )
    )
    if tally is None:
        tally = PaperTally(meeting_id=meeting.id, nominee_id=nominee_id, entered_by_id=actor.id)
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
    voters = db.session.scalar(
        select(func.count(func.distinct(BallotReceipt.member_id))).where(
            BallotReceipt.meeting_id == meeting.id
        )
    )
    per_nominee = dict(
        db.session.execute(
            select(BallotReceipt.nominee_id, func.count())
            .where(BallotReceipt.meeting_id == meeting.id)
            .group_by(BallotReceipt.nominee_id)
        ).all()
    )
    return {"voters": voters, "per_nominee": per_nominee}


def still_to_vote(meeting: Meeting, member_id: int) -> set[int]:
    done = set(
        db.session.scalars(
            select(BallotReceipt.nominee_id).where(
                BallotReceipt.meeting_id == meeting.id, BallotReceipt.member_id == member_id
            )
        )
    )
    recused = set(
        db.session.scalars(
            select(Recusal.nominee_id).where(
                Recusal.meeting_id == meeting.id, Recusal.member_id == member_id
            )
        )
    )
    papered = set(
        db.session.scalars(select(PaperTally.nominee_id).where(PaperTally.meeting_id == meeting.id))
    )
    return {r.nominee_id for r in rows(meeting)} - done - recused - papered


@operation(MeetingTrigger.CLOSE)
def close_vote(actor, meeting: Meeting, *, version) -> list[Result]:
    """Reveal and freeze: open the ballots, count, apply thresholds, set every outcome."""
    _expect(meeting, version)
    ctx = Context(actor=actor)
    check(meeting, MeetingTrigger.CLOSE, ctx)  # refuse before opening a single ballot
    db.session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    counts: Counter = Counter()
    opened: Counter = Counter()
    for ballot in db.session.scalars(
        select(SealedBallot).where(SealedBallot.meeting_id == meeting.id)
    ):
        opened[ballot.nominee_id] += 1
        if ballot_box.open_ballot(meeting.id, ballot.nominee_id, ballot.sealed):
            counts[ballot.nominee_id] += 1
    receipts = Counter(
        db.session.scalars(
            select(BallotReceipt.nominee_id).where(BallotReceipt.meeting_id == meeting.id)
        )
    )
    papers = {
        t.nominee_id: t
        for t in db.session.scalars(select(PaperTally).where(PaperTally.meeting_id == meeting.id))
    }
    recused = Counter(
        db.session.scalars(select(Recusal.nominee_id).where(Recusal.meeting_id == meeting.id))
    )
    present, members, _ = quorum(meeting)
    written = (
        db.session.scalar(
            select(func.count(func.distinct(BallotReceipt.member_id))).where(
                BallotReceipt.meeting_id == meeting.id, BallotReceipt.written.is_(True)
            )
        )
        or 0
    )
    previous = {r.nominee_id: r for r in meeting.results}  # from before a reopening
    forms = {f.code: f for f in meeting.campaign.award_forms}
    listed = rows(meeting)
    nominees = {
        n.id: n
        for n in db.session.scalars(
            select(Nominee).where(Nominee.id.in_([r.nominee_id for r in listed]))
        )
    }
    box = _Box(counts, opened, receipts, papers, recused, present, members, written)
    with db.session.no_autoflush:  # one flush at the end, not one per nominee
        results = [
            _result(
                meeting,
                row,
                forms[row.form_code],
                previous.get(row.nominee_id),
                nominees[row.nominee_id],
                box,
            )
            for row in listed
        ]
    db.session.execute(delete(SealedBallot).where(SealedBallot.meeting_id == meeting.id))
    erasure.after_commit(db.session())  # and from the database files, once committed
    ctx.extra = {"passed": sum(r.passed for r in results), "nominees": len(results)}
    fire(meeting, MeetingTrigger.CLOSE, ctx)
    for dossier in _dossiers(meeting, DossierTrigger.RECORD_DECISION):
        fire(
            dossier,
            DossierTrigger.RECORD_DECISION,
            Context(
                actor=actor,
                verdict=ctx.verdict,
                cause=cause(meeting, MeetingTrigger.CLOSE),
                extra={"meeting": meeting.id},
            ),
        )
    return results


@dataclass
class _Box:
    """What the ballot box and the Thư ký's tallies hold at closing, per nominee."""

    agree: Counter
    opened: Counter
    receipts: Counter
    papers: dict
    recused: Counter
    present: int
    members: int
    written: int


def _result(meeting, row, form, before: Result | None, nominee: Nominee, box: _Box) -> Result:
    nid = row.nominee_id
    if nid in box.papers:
        t = box.papers[nid]
        method, issued, returned, valid, agree = "paper", t.issued, t.returned, t.valid, t.agree
    else:
        method = "electronic"
        issued = box.present + box.written - box.recused[nid]
        returned = box.receipts[nid]  # receipts are kept across a reopening
        valid = box.opened[nid] + (before.valid if before else 0)
        agree = box.agree[nid] + (before.agree if before else 0)
    base = base_for(form.threshold_base, members=box.members, present=box.present, valid=valid)
    ok = passes(agree, base, form.threshold_pct, form.threshold_strict)
    result = before or Result(meeting_id=meeting.id, nominee_id=nid)
    result.method, result.issued, result.returned, result.valid = method, issued, returned, valid
    result.agree, result.base, result.threshold_pct = agree, base, form.threshold_pct
    result.strict, result.passed = form.threshold_strict, ok
    if before is None:
        meeting.results.append(result)
    nominee.status = (
        NomineeStatus.REJECTED
        if not ok
        else NomineeStatus.UPWARD
        if form.level == AwardLevel.UPWARD
        else NomineeStatus.APPROVED
    )
    return result


@operation(MeetingTrigger.REOPEN, comment="reason")
def reopen_vote(actor, meeting: Meeting, *, version, reason: str) -> None:
    """The chair reopens a closed vote, with the reason; the dossiers go back before the
    council and the nominees' outcomes are open again (earlier ballots still count)."""
    _expect(meeting, version)
    ctx = fire(meeting, MeetingTrigger.REOPEN, Context(actor=actor, comment=nfc(reason) or None))
    for row in rows(meeting):
        db.session.get(Nominee, row.nominee_id).status = NomineeStatus.PROPOSED
    db.session.flush()
    for dossier in _dossiers(meeting, DossierTrigger.REOPEN_VOTE):
        fire(
            dossier,
            DossierTrigger.REOPEN_VOTE,
            Context(
                actor=actor,
                comment=ctx.comment,
                verdict=ctx.verdict,
                cause=cause(meeting, MeetingTrigger.REOPEN),
            ),
        )


def _dossiers(meeting: Meeting, trigger: str) -> list[Dossier]:
    """The meeting's dossiers from which `trigger` can fire (the dossier table says where)."""
    ids = {r.dossier_id for r in rows(meeting)}
    states = sources("dossier", trigger)
    return list(
        db.session.scalars(select(Dossier).where(Dossier.id.in_(ids), Dossier.state.in_(states)))
    )
