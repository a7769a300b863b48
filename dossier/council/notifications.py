"""Who is told what about a council meeting's vote: receivers of the engine's signals.

No operation imports this module: the app connects it at start (create_app), and each
receiver only queues messages in the act's transaction. A vote is personal: no copies to
substitutes.
"""

from __future__ import annotations

from ..notify import mail
from ..notify.recipients import distinct, send
from ..org.models import User
from ..states import MeetingTrigger
from ..timeutil import vn_date
from ..workflow import on


def _attendees(meeting) -> list[User]:
    return distinct(a.member for a in meeting.attendance)


@on(MeetingTrigger.OPEN)
def vote_opened(meeting, **_) -> int:
    """Each member present gets a single-use link to vote from the mail."""
    return send(
        "vote_opened",
        _attendees(meeting),
        "vote_opened",
        substitutes=False,
        action=("vote", meeting),
        meeting=meeting,
        campaign=meeting.campaign,
        held_on=vn_date(meeting.held_on),
        present={a.member_id for a in meeting.attendance if a.present},
        link=mail.link("council.show", meeting_id=meeting.id),
    )


@on(MeetingTrigger.CLOSE)
def vote_closed(meeting, **_) -> int:
    results = meeting.current_results
    passed = sum(1 for r in results if r.passed)
    return send(
        "vote_closed",
        _attendees(meeting),
        "vote_closed",
        substitutes=False,
        meeting=meeting,
        campaign=meeting.campaign,
        held_on=vn_date(meeting.held_on),
        total=len(results),
        passed=passed,
        rejected=len(results) - passed,
        link=mail.link("council.show", meeting_id=meeting.id),
    )
