"""Closing a round of the vote (count, thresholds, outcomes) and reopening a new round.

Each round stands alone: its results come only from its own ballots and paper tallies, and
a result is published only from at least the meeting's minimum of valid ballots (count.py).
Reopening never adds ballots to an earlier count: every member present votes again in the
new round, and the earlier round's totals stay as history (the minutes print them), so no
close / reopen / close sequence gives two totals one ballot apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, select

from ..enums import AwardLevel, NomineeStatus
from ..extensions import db
from ..nominations.models import Nominee
from ..states import DossierTrigger, MeetingTrigger
from ..text import nfc
from ..workflow import Context, cause, check, fire, operation
from . import ballot_box, erasure
from .common import dossiers, expect, rows
from .count import electorate, tally
from .models import BallotReceipt, Meeting, PaperTally, Recusal, Result, SealedBallot


@dataclass
class _Box:
    """What the round's ballot box and the Thư ký's tallies hold at closing, per nominee."""

    agree: Counter
    opened: Counter
    receipts: Counter
    written: Counter
    papers: dict
    recused_present: Counter
    present: int
    members: int


def _box(meeting: Meeting) -> _Box:
    rnd = meeting.round
    agree: Counter = Counter()
    opened: Counter = Counter()
    for ballot in db.session.scalars(
        select(SealedBallot).where(SealedBallot.meeting_id == meeting.id)
    ):
        opened[ballot.nominee_id] += 1
        if ballot_box.open_ballot(meeting.id, ballot.nominee_id, ballot.sealed):
            agree[ballot.nominee_id] += 1
    receipts: Counter = Counter()
    written: Counter = Counter()
    for nid, in_writing in db.session.execute(
        select(BallotReceipt.nominee_id, BallotReceipt.written).where(
            BallotReceipt.meeting_id == meeting.id, BallotReceipt.round == rnd
        )
    ):
        receipts[nid] += 1
        written[nid] += bool(in_writing)
    papers = {
        t.nominee_id: t
        for t in db.session.scalars(
            select(PaperTally).where(PaperTally.meeting_id == meeting.id, PaperTally.round == rnd)
        )
    }
    present_ids = {a.member_id for a in meeting.attendance if a.present}
    recused_present = Counter(
        nid
        for member_id, nid in db.session.execute(
            select(Recusal.member_id, Recusal.nominee_id).where(Recusal.meeting_id == meeting.id)
        )
        if member_id in present_ids
    )
    return _Box(
        agree,
        opened,
        receipts,
        written,
        papers,
        recused_present,
        len(present_ids),
        len(meeting.attendance),
    )


def _result(meeting: Meeting, row, form, nominee: Nominee, box: _Box) -> Result:
    nid = row.nominee_id
    paper = box.papers.get(nid)
    voters = electorate(
        present=box.present,
        recused_present=box.recused_present[nid],
        written=0 if paper else box.written[nid],
        count_written=meeting.written_views_count,
    )
    if paper:
        numbers = dict(
            issued=paper.issued, returned=paper.returned, valid=paper.valid, agree=paper.agree
        )
    else:  # every electronic ballot is valid; each voter on the nominee was given one
        numbers = dict(
            issued=voters, returned=box.receipts[nid], valid=box.opened[nid], agree=box.agree[nid]
        )
    t = tally(
        members=box.members,
        electorate=voters,
        **numbers,
        base_kind=form.threshold_base,
        pct=form.threshold_pct,
        strict=form.threshold_strict,
        min_ballots=meeting.min_ballots,
    )
    result = Result(
        meeting_id=meeting.id,
        nominee_id=nid,
        round=meeting.round,
        method="paper" if paper else "electronic",
        issued=t.issued,
        returned=t.returned,
        valid=t.valid,
        agree=t.agree,
        base=t.base,
        threshold_pct=form.threshold_pct,
        strict=form.threshold_strict,
        passed=t.passed,
        withheld=t.withheld,
    )
    meeting.results.append(result)
    nominee.status = (
        NomineeStatus.REJECTED
        if not t.passed
        else NomineeStatus.UPWARD
        if form.level == AwardLevel.UPWARD
        else NomineeStatus.APPROVED
    )
    return result


@operation(MeetingTrigger.CLOSE)
def close_vote(actor, meeting: Meeting, *, version) -> list[Result]:
    """Reveal and freeze the round: open the ballots, count, apply thresholds, set outcomes."""
    expect(meeting, version)
    ctx = Context(actor=actor)
    check(meeting, MeetingTrigger.CLOSE, ctx)  # refuse before opening a single ballot
    db.session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    box = _box(meeting)
    forms = {f.code: f for f in meeting.campaign.award_forms}
    listed = rows(meeting)
    nominees = {
        n.id: n
        for n in db.session.scalars(
            select(Nominee).where(Nominee.id.in_([r.nominee_id for r in listed]))
        )
    }
    with db.session.no_autoflush:  # one flush at the end, not one per nominee
        results = [
            _result(meeting, row, forms[row.form_code], nominees[row.nominee_id], box)
            for row in listed
        ]
    db.session.execute(delete(SealedBallot).where(SealedBallot.meeting_id == meeting.id))
    erasure.after_commit(db.session())  # and from the database files, once committed
    ctx.extra = {
        "passed": sum(r.passed for r in results),
        "nominees": len(results),
        "round": meeting.round,
        "withheld": sum(r.withheld for r in results),
    }
    fire(meeting, MeetingTrigger.CLOSE, ctx)
    for dossier in dossiers(meeting, DossierTrigger.RECORD_DECISION):
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


@operation(MeetingTrigger.REOPEN, comment="reason")
def reopen_vote(actor, meeting: Meeting, *, version, reason: str) -> None:
    """The chair reopens a closed vote, with the reason: a new round begins, in which every
    member present votes again (the earlier round's ballots are gone, its totals superseded);
    the dossiers go back before the council and the nominees' outcomes are open again."""
    expect(meeting, version)
    ctx = fire(
        meeting,
        MeetingTrigger.REOPEN,
        Context(actor=actor, comment=nfc(reason) or None, extra={"round": meeting.round + 1}),
    )
    meeting.round += 1
    for row in rows(meeting):
        db.session.get(Nominee, row.nominee_id).status = NomineeStatus.PROPOSED
    db.session.flush()
    for dossier in dossiers(meeting, DossierTrigger.REOPEN_VOTE):
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


def history(meeting: Meeting) -> list[Result]:
    """The superseded rounds' results, oldest round first."""
    return sorted(
        (r for r in meeting.results if r.round < meeting.round), key=lambda r: (r.round, r.id)
    )
