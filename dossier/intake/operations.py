"""The Văn phòng's acts: bulk acceptance, ineligibility, and sending the list to the council."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..access import Action, require
from ..campaigns.models import Campaign
from ..enums import AwardLevel, DocKind, NomineeStatus, UnitKind
from ..errors import ConflictError, DomainError
from ..extensions import db
from ..nominations import operations as dossier_ops
from ..nominations.models import Dossier, Nominee
from ..nominations.operations import expect_version
from ..org.models import Unit
from ..register import operations as register
from ..states import DOSSIER_EDITABLE, DossierState, DossierTrigger, ListVersionTrigger
from ..text import nfc
from ..timeutil import local_now, now
from ..workflow import (
    Context,
    announce,
    cause,
    fire,
    flow_of,
    guard,
    operation,
    sources,
    transition,
)
from . import findings
from .listing import Consolidated
from .models import ListVersion


def bulk_accept(actor, dossiers: list[tuple[Dossier, int]]) -> int:
    """Accept several dossiers at once, all or none: one refusal changes nothing."""
    if not dossiers:
        raise DomainError("Chưa chọn hồ sơ nào để tiếp nhận.")
    problems = []
    for dossier, version in dossiers:
        try:
            with db.session.begin_nested():  # a refused one undoes itself, the rest go on
                dossier_ops.accept(actor, dossier, version=version)
        except DomainError as err:
            problems.append(f"{dossier.unit.name}: {err.message}")
    if problems:
        raise DomainError("Chưa tiếp nhận hồ sơ nào, vì:", problems)
    return len(dossiers)


OFFICE_ONLY = "Chỉ Văn phòng Sở kiểm tra hồ sơ và lập danh sách trình Hội đồng."


def mark_ineligible(actor, nominee: Nominee, *, reason: str) -> None:
    verdict = require(actor, Action.REVIEW_DOSSIER, nominee.dossier, OFFICE_ONLY)
    reason = nfc(reason)
    if not reason:
        raise DomainError("Cần ghi rõ lý do không đủ điều kiện.")
    dossier = nominee.dossier
    if not dossier.reviewable:
        raise DomainError(
            "Chỉ đánh dấu được người trong hồ sơ đã nộp, đã tiếp nhận hoặc đang trình Hội đồng."
        )
    if nominee.status != NomineeStatus.PROPOSED:
        raise DomainError(
            f"{nominee.name} đang ở trạng thái "
            f"«{NomineeStatus(nominee.status).title_vi}», không đánh dấu được."
        )
    nominee.status, nominee.status_reason = NomineeStatus.INELIGIBLE, reason
    dossier.updated_at = now()  # bumps the version: a concurrent act sees the change
    audit.record(
        actor=actor,
        action="nominee_ineligible",
        object_type="dossier",
        object_id=dossier.id,
        comment=reason,
        data={"name": nominee.name},
        verdict=verdict,
    )


def restore_nominee(actor, nominee: Nominee) -> None:
    verdict = require(actor, Action.REVIEW_DOSSIER, nominee.dossier, OFFICE_ONLY)
    if nominee.status != NomineeStatus.INELIGIBLE or not nominee.dossier.reviewable:
        raise DomainError("Không khôi phục được người này.")
    nominee.status, nominee.status_reason = NomineeStatus.PROPOSED, None
    nominee.dossier.updated_at = now()
    audit.record(
        actor=actor,
        action="nominee_restored",
        object_type="dossier",
        object_id=nominee.dossier_id,
        data={"name": nominee.name},
        verdict=verdict,
    )


def latest_version(campaign: Campaign) -> ListVersion | None:
    return db.session.scalar(
        select(ListVersion)
        .where(ListVersion.campaign_id == campaign.id)
        .order_by(ListVersion.number.desc())
        .limit(1)
    )


def changed_since_sent(campaign: Campaign, live: Consolidated) -> bool:
    last = latest_version(campaign)
    if last is None:
        return False
    return _signature(last.consolidated()) != _signature(live)


def _signature(cons: Consolidated) -> list[tuple]:
    return sorted((r.nominee_id, r.form_code) for r in cons.rows)


def office_code() -> str:
    """The Văn phòng's code in its tờ trình's number ("VP" in "45/TTr-VP")."""
    code = db.session.scalar(
        select(Unit.code).where(Unit.kind == UnitKind.OFFICE).order_by(Unit.sort_order)
    )
    return code or "VP"


def next_letter_hint() -> str:
    """ "46/TTr-VP": what the register's next would give the tờ trình today (not reserved)."""
    issuer = office_code()
    year = local_now().year
    return register.code(
        register.peek(DocKind.SUBMISSION, issuer, year), DocKind.SUBMISSION, issuer
    )


class UnitsNotSent(DomainError):
    """Units still owe a dossier: sending now needs the Văn phòng's explicit confirmation."""

    def __init__(self, units: list[str]):
        super().__init__(
            f"Còn {len(units)} đơn vị chưa nộp hồ sơ (chưa lập, đang soạn hoặc bị trả lại "
            "chưa nộp lại). Gửi Hội đồng bây giờ thì hồ sơ của các đơn vị này không có trong "
            "danh sách:",
            units,
        )
        self.units = units


# The units that owe a campaign a dossier, as (id, name) rows in the list's order: no ORM
# object per unit; built once (a statement object keeps its cache key).
UNITS_IN_PLAY = (
    select(Unit.id, Unit.name)
    .where(Unit.active, Unit.kind != UnitKind.LEADERSHIP)
    .order_by(Unit.sort_order, Unit.name)
)


def units_not_sent(campaign: Campaign) -> list[str]:
    """Names of the units that owe this campaign a dossier: none yet, a draft, or one
    returned and not sent again (what "Chưa nộp" means on the intake page)."""
    units = db.session.execute(UNITS_IN_PLAY).all()
    # (unit, seq, state) rows, not whole dossiers: a province has 408 of them (Dossier.
    # editable is `state in DOSSIER_EDITABLE`).
    latest: dict[int, tuple[int, str]] = {}
    for unit_id, seq, state in db.session.execute(
        select(Dossier.unit_id, Dossier.seq, Dossier.state).where(
            Dossier.campaign_id == campaign.id, Dossier.state != DossierState.WITHDRAWN
        )
    ):
        if unit_id not in latest or seq > latest[unit_id][0]:
            latest[unit_id] = (seq, state)
    return [u.name for u in units if u.id not in latest or latest[u.id][1] in DOSSIER_EDITABLE]


def send_to_council(
    actor,
    campaign: Campaign,
    *,
    letter_number: str | None,
    letter_date: date | None,
    note: str | None = None,
    from_register: bool = False,
    confirm_missing: bool = False,
) -> ListVersion:
    """Freeze the live list as the next numbered version and move its dossiers on.

    The Văn phòng's tờ trình takes its number from the agency's register ("45/TTr-VP"):
    a number typed (from the agency's own system; checked unique for the year), or with
    `from_register` the sequence's next; neither leaves it blank, to be written by hand.
    While some units have not submitted, it refuses with their names (UnitsNotSent) unless
    the Văn phòng confirmed (`confirm_missing`); the names confirmed go into the audit."""
    verdict = require(actor, Action.REVIEW_DOSSIER, campaign, OFFICE_ONLY)
    if not campaign.procedure.COUNCIL:
        raise DomainError(
            f"{campaign.procedure.TITLE}: không qua Hội đồng. Hãy «Trình Giám đốc quyết định» "
            "từng hồ sơ đã tiếp nhận."
        )
    waiting = db.session.scalars(
        select(Dossier).where(
            Dossier.campaign_id == campaign.id, Dossier.state == DossierState.SUBMITTED
        )
    ).all()
    if waiting:
        raise DomainError(
            "Còn hồ sơ chưa kiểm tra (tiếp nhận hoặc trả lại) trước khi gửi Hội đồng:",
            [d.unit.name for d in waiting],
        )
    live = findings.build(campaign)
    if not live.rows:
        raise DomainError("Danh sách chưa có ai để trình Hội đồng.")
    if live.error_count:
        raise DomainError(
            f"Danh sách còn {live.error_count} lỗi phải xử lý trước khi gửi "
            "Hội đồng (đánh dấu không đủ điều kiện, hoặc trả lại hồ sơ).",
            [f.message for f in live.all_findings if f.level == "error"],
        )
    last = latest_version(campaign)
    if last is not None and _signature(last.consolidated()) == _signature(live):
        raise DomainError(f"Danh sách không thay đổi so với phiên bản số {last.number} đã gửi.")
    missing = units_not_sent(campaign) if campaign.procedure.CUTOFF else []
    if missing and not confirm_missing:
        raise UnitsNotSent(missing)
    number = (last.number if last else 0) + 1
    issuer = office_code()
    typed = register.parse_typed(nfc(letter_number), DocKind.SUBMISSION, issuer)
    version = ListVersion(
        campaign_id=campaign.id,
        number=number,
        content=live.to_json(),
        letter_date=letter_date,
        note=nfc(note) or None,
        sent_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():  # its own savepoint: a clash undoes this row only
            db.session.add(version)
    except IntegrityError as err:  # two sends at once: the unique number keeps one
        raise ConflictError(
            "Danh sách vừa được gửi bởi một thao tác khác; hãy tải lại trang."
        ) from err
    if typed is not None or from_register:
        given = register.take(
            DocKind.SUBMISSION,
            issuer,
            (letter_date or local_now().date()).year,
            typed=typed,
            object_type="list_version",
            object_id=version.id,
            actor=actor,
        )
        version.letter_number = register.code(given, DocKind.SUBMISSION, issuer)
    if last is not None and last.state in flow_of(last).sources(ListVersionTrigger.SUPERSEDE):
        fire(
            last,
            ListVersionTrigger.SUPERSEDE,
            Context(actor=actor, verdict=verdict, cause=cause(version), extra={"by": number}),
        )
    for dossier in db.session.scalars(
        select(Dossier).where(
            Dossier.campaign_id == campaign.id,
            Dossier.state.in_(sources("dossier", DossierTrigger.SEND_TO_COUNCIL)),
        )
    ):
        fire(
            dossier, DossierTrigger.SEND_TO_COUNCIL, Context(actor=actor, extra={"version": number})
        )
    audit.record(
        actor=actor,
        action="list_sent_to_council",
        object_type="campaign",
        object_id=campaign.id,
        data={"version": number, "rows": len(live.rows), "units_not_sent": missing or None},
        verdict=verdict,
    )
    announce(cause(version), version)  # the council is told (intake/notifications.py)
    return version


def version_diff(old: Consolidated, new: Consolidated) -> dict[str, list]:
    """What the council must know: who was added, removed, or proposed for another form."""
    a = {r.nominee_id: r for r in old.rows}
    b = {r.nominee_id: r for r in new.rows}
    return {
        "added": [b[i] for i in b.keys() - a.keys()],
        "removed": [a[i] for i in a.keys() - b.keys()],
        "changed": [(a[i], b[i]) for i in a.keys() & b.keys() if a[i].form_code != b[i].form_code],
    }


@operation(DossierTrigger.PROPOSE)
def propose(actor, dossier: Dossier, *, version) -> None:
    """Without a council (the simplified procedure), the Văn phòng puts a checked dossier
    before the Director: its nominees still proposed are approved, or proposed upward for
    a form the Director does not award, as a council's pass would make them."""
    expect_version(dossier, version)
    with transition(dossier, DossierTrigger.PROPOSE, Context(actor=actor)) as ctx:
        approved = 0
        for nominee in dossier.nominees:
            if nominee.status == NomineeStatus.PROPOSED:
                upward = nominee.award_form.level == AwardLevel.UPWARD
                nominee.status = NomineeStatus.UPWARD if upward else NomineeStatus.APPROVED
                approved += 1
        ctx.extra = {"nominees": approved}


@guard("has_nominees", "còn người được đề nghị")
def has_nominees(dossier: Dossier, ctx: Context) -> None:
    if not any(n.status == NomineeStatus.PROPOSED for n in dossier.nominees):
        raise DomainError("Hồ sơ không còn ai được đề nghị khen thưởng.")
