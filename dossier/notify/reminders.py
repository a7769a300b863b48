"""Reminders and escalations, queued in the outbox by a periodic run (cron / systemd timer).

`send_due()` is idempotent: every message carries a dedup_key naming what it is about
(campaign, unit, threshold, recipient; meeting, member, day; dossier, revision), keys
already in the outbox are skipped, and each unit / meeting / dossier is committed on its
own, so a run that dies half-way is finished by the next one and nothing goes out twice.
Two runs racing on the same key: the loser's commit hits the unique constraint, rolls
back, and retries that one batch, now skipping what the winner queued.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import click
from flask import current_app
from sqlalchemy import or_, select

from ..campaigns.models import Campaign, Extension
from ..council.models import Attendance, Meeting
from ..council.operations import still_to_vote
from ..enums import Role, UnitKind
from ..extensions import db
from ..nominations.models import Dossier
from ..org.models import RoleAssignment, Unit, User
from ..states import DOSSIER_SENT, MEETING_VOTING, DossierState
from ..timeutil import (
    describe_cutoff,
    local_now,
    now,
    time_left,
    to_local,
    vn_datetime,
)
from . import delivery, mail
from .calendar import working_days_between
from .models import Message
from .reminder_queue import _commit_batch, _link, _queue, _users, _with_substitutes

DEFAULT_DAYS = (7, 3, 1)
DEFAULT_ESCALATE_AFTER = 3
# A unit in one of these has sent its dossier: no deadline reminder. A returned dossier
# must be sent again, so its unit is still reminded.
SENT_STATES = DOSSIER_SENT
CHIEF_OF_OFFICE = "Chánh Văn phòng"

EVENT_UNIT = "reminder_unit"
EVENT_VOTE = "reminder_vote"
EVENT_ESCALATION = "escalation"


# --- configuration ----------------------------------------------------------------------


def _config_days() -> tuple[int, ...]:
    raw = current_app.config.get("REMINDER_DAYS")
    if raw is None or raw == "":
        return DEFAULT_DAYS
    if isinstance(raw, str):
        raw = [part for part in raw.replace(";", ",").split(",") if part.strip()]
    return tuple(int(part) for part in raw)


def _config_escalate_after() -> int:
    raw = current_app.config.get("ESCALATION_WORKING_DAYS")
    return DEFAULT_ESCALATE_AFTER if raw is None or raw == "" else int(raw)


# --- helpers (the queueing ones: reminder_queue.py) -------------------------------------


def _already_queued(keys: Iterable[str]) -> set[str]:
    keys = list(keys)
    if not keys:
        return set()
    return set(db.session.scalars(select(Message.dedup_key).where(Message.dedup_key.in_(keys))))


# --- deadline reminders to units ---------------------------------------------------------


def threshold_due(cutoff_day: date, today: date, days: Iterable[int]) -> int | None:
    """The smallest threshold already reached ("7 days before" = cut-off day − 7 ≤ today)."""
    reached = [d for d in days if (cutoff_day - today).days <= d]
    return min(reached) if reached else None


def _live_campaigns(moment) -> list[Campaign]:
    extended = select(Extension.campaign_id).where(Extension.until > moment)
    return list(
        db.session.scalars(
            select(Campaign)
            .where(or_(Campaign.cutoff_at > moment, Campaign.id.in_(extended)))
            .order_by(Campaign.id)
        )
    )


def _reminder_units() -> list[Unit]:
    return list(
        db.session.scalars(
            select(Unit)
            .where(Unit.active.is_(True), Unit.kind != UnitKind.LEADERSHIP)
            .order_by(Unit.sort_order, Unit.id)
        )
    )


def _remind_unit(campaign: Campaign, unit: Unit, threshold: int, cutoff) -> int:
    recipients, notes = _with_substitutes(
        _users(
            RoleAssignment.role.in_([Role.UNIT_HEAD, Role.UNIT_CLERK]),
            RoleAssignment.unit_id == unit.id,
        )
    )
    keys = {u.id: f"reminder:{campaign.id}:{unit.id}:{threshold}:{u.id}" for u in recipients}
    existing = _already_queued(keys.values())
    if len(existing) == len(keys):
        return 0
    context = {
        "campaign": campaign,
        "unit": unit,
        "threshold": threshold,
        "cutoff_at": cutoff,
        "cutoff_words": describe_cutoff(cutoff),
        "time_left": time_left(cutoff),
        "link": _link("nominations.index"),
    }
    return sum(
        _queue(
            EVENT_UNIT,
            u,
            "reminder_unit",
            {**context, "standing_in_for": notes.get(u.id)},
            keys[u.id],
            existing,
        )
        for u in recipients
    )


def send_unit_reminders(days: Iterable[int]) -> int:
    days = tuple(days)
    moment, today = now(), local_now().date()
    sent = 0
    units = _reminder_units()
    for campaign in _live_campaigns(moment):
        done = set(
            db.session.scalars(
                select(Dossier.unit_id).where(
                    Dossier.campaign_id == campaign.id, Dossier.state.in_(SENT_STATES)
                )
            )
        )
        for unit in units:
            if unit.id in done:
                continue
            cutoff = campaign.cutoff_for(unit.id)
            if cutoff <= moment:
                continue
            threshold = threshold_due(to_local(cutoff).date(), today, days)
            if threshold is None:
                continue
            sent += _commit_batch(
                lambda c=campaign, u=unit, t=threshold, k=cutoff: _remind_unit(c, u, t, k)
            )
    return sent


# --- council members who have not finished voting --------------------------------------


def _remind_voters(meeting: Meeting, today: date) -> int:
    present = list(
        db.session.scalars(
            select(Attendance)
            .where(Attendance.meeting_id == meeting.id, Attendance.present.is_(True))
            .order_by(Attendance.member_id)
        )
    )
    keys = {a.member_id: f"vote:{meeting.id}:{a.member_id}:{today.isoformat()}" for a in present}
    existing = _already_queued(keys.values())
    sent = 0
    for attendance in present:
        key = keys[attendance.member_id]
        if key in existing:
            continue
        left = still_to_vote(meeting, attendance.member_id)
        if not left:
            continue
        from ..mail_actions.links import offer

        context = {
            "meeting": meeting,
            "campaign": meeting.campaign,
            "remaining": len(left),
            "link": _link("council.show", meeting_id=meeting.id),
            **offer(attendance.member, "vote", meeting),
        }
        sent += _queue(EVENT_VOTE, attendance.member, "reminder_vote", context, key, existing)
    return sent


def send_vote_reminders() -> int:
    today = local_now().date()
    meetings = list(
        db.session.scalars(
            select(Meeting).where(Meeting.state.in_(MEETING_VOTING)).order_by(Meeting.id)
        )
    )
    return sum(_commit_batch(lambda m=m: _remind_voters(m, today)) for m in meetings)


# --- dossiers waiting too long for the Văn phòng --------------------------------------------


def escalation_recipients() -> list[User]:
    """The Chánh Văn phòng (an OFFICE account whose position says so); else every OFFICE."""
    office = _users(RoleAssignment.role == Role.OFFICE)
    chiefs = [
        u
        for u in office
        if u.staff is not None and (u.staff.position or "").strip().startswith(CHIEF_OF_OFFICE)
    ]
    return chiefs or office


def _escalate(dossier: Dossier, waited: int, recipients: list[User], notes: dict[int, str]) -> int:
    """One message per dossier and revision: the first recipient's key is the one named in
    the brief; any further recipient (fallback to every OFFICE account, or whoever stands
    in for the Chánh Văn phòng) gets its own."""
    base = f"escalation:{dossier.id}:{dossier.revision}"
    keys = {u.id: base if i == 0 else f"{base}:{u.id}" for i, u in enumerate(recipients)}
    existing = _already_queued([base])
    if base in existing:  # this revision was escalated already, to whoever was in office
        return 0
    context = {
        "dossier": dossier,
        "unit": dossier.unit,
        "campaign": dossier.campaign,
        "waited": waited,
        "submitted_words": vn_datetime(dossier.submitted_at),
        "link": _link("nominations.show", dossier_id=dossier.id),
    }
    return sum(
        _queue(
            EVENT_ESCALATION,
            u,
            "escalation",
            {**context, "standing_in_for": notes.get(u.id)},
            keys[u.id],
            existing,
        )
        for u in recipients
    )


def send_escalations(escalate_after: int) -> int:
    today = local_now().date()
    waiting = list(
        db.session.scalars(
            select(Dossier)
            .where(Dossier.state == DossierState.SUBMITTED, Dossier.submitted_at.is_not(None))
            .order_by(Dossier.id)
        )
    )
    if not waiting:
        return 0
    recipients, notes = _with_substitutes(escalation_recipients())
    if not recipients:
        current_app.logger.warning("Không có tài khoản Văn phòng để báo hồ sơ chậm xử lý.")
        return 0
    waited_by_day: dict[date, int] = {}  # one holiday query per distinct submission day
    sent = 0
    for dossier in waiting:
        day = to_local(dossier.submitted_at).date()
        if day not in waited_by_day:
            waited_by_day[day] = working_days_between(day, today)
        waited = waited_by_day[day]
        if waited > escalate_after:
            sent += _commit_batch(lambda d=dossier, w=waited: _escalate(d, w, recipients, notes))
    return sent


# --- the run ------------------------------------------------------------------------------


def send_due(*, days: Iterable[int] | None = None, escalate_after: int | None = None) -> dict:
    """Queue every reminder due now. Defaults: REMINDER_DAYS / ESCALATION_WORKING_DAYS from the
    app config when set, else (7, 3, 1) and 3. Returns {"unit": n, "vote": n, "escalation": n}.
    """
    days = tuple(days) if days is not None else _config_days()
    if escalate_after is None:
        escalate_after = _config_escalate_after()
    return {
        "unit": send_unit_reminders(days),
        "vote": send_vote_reminders(),
        "escalation": send_escalations(escalate_after),
    }


def _deliver_all(deliver, rounds: int = 50) -> int:
    """Drain the outbox: deliver() sends at most its limit per call and says (sent, failed)."""
    total = 0
    for _ in range(rounds):
        result = deliver()
        if isinstance(result, tuple):
            sent, failed = result
        else:  # an older deliver() returning the number sent
            sent, failed = int(result or 0), 0
        total += sent
        if sent + failed == 0 or not mail_has_due():
            break
    return total


def mail_has_due() -> bool:
    has_due = getattr(mail, "has_due", None)
    return bool(has_due()) if has_due is not None else False


def summary_line(counts: dict, delivered: int | None) -> str:
    line = (
        f"Đã xếp {counts.get('unit', 0)} thư nhắc hạn, {counts.get('vote', 0)} thư nhắc "
        f"bỏ phiếu, {counts.get('escalation', 0)} thư báo chậm xử lý"
    )
    if delivered is None:
        return line + "."
    return line + f"; đã gửi {delivered}."


def register_cli(app) -> None:
    from flask.cli import AppGroup

    group = AppGroup("reminders", help="Thư nhắc hạn, nhắc bỏ phiếu, báo chậm xử lý.")

    @group.command("send")
    @click.option("--no-deliver", is_flag=True, help="Chỉ xếp thư vào hàng đợi, không gửi.")
    def send_command(no_deliver):
        """Queue the reminders due now, then deliver the outbox (safe to run every few minutes)."""
        counts = send_due()
        delivered = None
        deliver = getattr(mail, "deliver", None)
        if deliver is not None and not no_deliver:
            delivered = _deliver_all(deliver)
            if not delivery.configured():
                click.echo(delivery.UNCONFIGURED)
        click.echo(summary_line(counts, delivered))

    app.cli.add_command(group)


__all__ = ["send_due", "register_cli", "threshold_due", "escalation_recipients"]
