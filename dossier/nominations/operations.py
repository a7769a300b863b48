"""The unit's acts on its dossier. Each checks its rules, audits, and leaves the commit.

Every edit takes the version the user's form was loaded with: if the dossier changed in
between (another person saved first), the edit is refused with a clear conflict message
instead of silently overwriting (optimistic locking, enforced again by the version column).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..access import Action, can
from ..campaigns.models import AwardForm, Campaign
from ..enums import FixComponent, NomineeKind, NomineeStatus, Role
from ..errors import ConflictError, DomainError
from ..extensions import db
from ..org.models import Staff, Unit
from ..states import DossierState, DossierTrigger
from ..text import fold, name_sort_key, nfc
from ..timeutil import local_now, now
from ..workflow import Context, fire, operation, transition
from . import guards  # noqa: F401  (registers the workflow guards)
from .models import AchievementReport, Dossier, FixItem, Nominee, Snapshot
from .nominee_checks import _check_nominee
from .queries import count_by_state as count_by_state
from .queries import dossiers_for_units as dossiers_for_units
from .queries import nominee_counts as nominee_counts
from .snapshot import to_json

CONFLICT = (
    "Hồ sơ vừa được người khác cập nhật sau khi anh/chị mở trang. Thay đổi của "
    "anh/chị chưa được lưu; hãy tải lại trang, xem bản mới nhất rồi nhập lại."
)


def expect_version(dossier: Dossier, version: int | str | None) -> None:
    try:
        seen = int(version)
    except (TypeError, ValueError):
        seen = None
    if seen != dossier.version:
        raise ConflictError(CONFLICT)


def ensure_editable(dossier: Dossier) -> None:
    if not dossier.editable:
        raise DomainError(
            "Hồ sơ đã nộp, không sửa được. Chỉ sửa khi hồ sơ ở trạng thái Nháp "
            "hoặc Trả lại để bổ sung."
        )


def _changed(actor, dossier: Dossier, action: str, **data) -> None:
    ensure_editable(dossier)
    # The view's guard enforced the right; its verdict says on whose behalf it was used.
    verdict = can(actor, Action.EDIT_DOSSIER, dossier)
    dossier.updated_at = now()  # bumps the version: concurrent editors see a conflict
    audit.record(
        actor=actor,
        action=action,
        object_type="dossier",
        object_id=dossier.id,
        data=data or None,
        verdict=verdict,
    )


def create_dossier(actor, campaign: Campaign, unit: Unit) -> Dossier:
    verdict = can(actor, Action.CREATE_DOSSIER, unit)  # the view's guard enforced it
    existing = list(
        db.session.scalars(
            select(Dossier)
            .where(Dossier.campaign_id == campaign.id, Dossier.unit_id == unit.id)
            .order_by(Dossier.seq)
        )
    )
    open_one = next((d for d in existing if d.editable), None)
    if open_one is not None:
        raise DomainError("Đơn vị đã có một hồ sơ đang soạn trong đợt này; hãy tiếp tục hồ sơ đó.")
    # 1 = the main dossier; later ones supplement it (hồ sơ bổ sung).
    seq = max((d.seq for d in existing), default=0) + 1
    dossier = Dossier(
        campaign_id=campaign.id,
        unit_id=unit.id,
        seq=seq,
        state=DossierState.DRAFT,
        created_by_id=actor.id,
        letter_date=local_now().date(),  # the date as the unit writes it (Vietnam)
    )
    try:
        with db.session.begin_nested():  # its own savepoint: a clash undoes this row only
            db.session.add(dossier)
    except IntegrityError as err:  # two clicks at once: the unique key keeps one dossier
        raise ConflictError("Hồ sơ vừa được tạo bởi một thao tác khác; hãy tải lại trang.") from err
    audit.record(
        actor=actor,
        action="created",
        object_type="dossier",
        object_id=dossier.id,
        to_state=DossierState.DRAFT,
        data={"campaign": campaign.name, "unit": unit.name, "seq": seq},
        verdict=verdict,
    )
    return dossier


def update_letter(
    actor,
    dossier: Dossier,
    *,
    version,
    number: str,
    letter_date: date | None,
    signer: str,
    text: str | None,
) -> None:
    expect_version(dossier, version)
    dossier.letter_number, dossier.letter_date = number or None, letter_date
    dossier.letter_signer, dossier.letter_text = signer or None, text or None
    _changed(actor, dossier, "letter_updated", number=number)


def update_minutes(
    actor,
    dossier: Dossier,
    *,
    version,
    meeting_date: date | None,
    chair: str,
    secretary: str,
    present: int | None,
    total: int | None,
    votes: dict[int, tuple[int | None, int | None]],
) -> None:
    expect_version(dossier, version)
    errors = []
    if present is not None and total is not None and present > total:
        errors.append("Số người dự họp không được lớn hơn tổng số.")
    # The form's date is a Vietnamese date: from 17:00 UTC the UTC date is still yesterday.
    if meeting_date and meeting_date > local_now().date():
        errors.append("Ngày họp không được ở tương lai.")
    by_id = {n.id: n for n in dossier.nominees}
    for nominee_id, (agree, against) in votes.items():
        nominee = by_id.get(nominee_id)
        if nominee is None:
            raise DomainError("Người được đề nghị không thuộc hồ sơ này.")
        if (
            agree is not None
            and against is not None
            and present is not None
            and agree + against > present
        ):
            errors.append(
                f"{nominee.name}: tổng số phiếu ({agree + against}) vượt quá số người "
                f"dự họp ({present})."
            )
    if errors:
        raise DomainError("Biên bản họp chưa lưu được:", errors)
    dossier.meeting_date, dossier.meeting_chair = meeting_date, chair or None
    dossier.meeting_secretary, dossier.meeting_present = secretary or None, present
    dossier.meeting_total = total
    for nominee_id, (agree, against) in votes.items():
        by_id[nominee_id].votes_for, by_id[nominee_id].votes_against = agree, against
    _changed(actor, dossier, "minutes_updated")


def add_nominee(
    actor,
    dossier: Dossier,
    *,
    version,
    kind: str,
    award_form_id: int,
    staff_id: int | None = None,
    name: str | None = None,
    position: str | None = None,
    gender: str | None = None,
) -> Nominee:
    expect_version(dossier, version)
    form = db.session.get(AwardForm, award_form_id)
    if form is None:
        raise DomainError("Hình thức khen thưởng không tồn tại.")
    staff = db.session.get(Staff, staff_id) if staff_id else None
    if staff_id and staff is None:
        raise DomainError("Cán bộ không tồn tại.")
    if kind == NomineeKind.COLLECTIVE:
        staff = None
    name = staff.full_name if staff else nfc(name)
    if not name:
        raise DomainError("Cần họ tên cá nhân hoặc tên tập thể.")
    _check_nominee(dossier, kind=kind, staff=staff, name=name, form=form)
    nominee = Nominee(
        kind=kind,
        staff_id=staff.id if staff else None,
        name=name,
        name_folded=fold(name),
        sort_key=name_sort_key(name) if kind == NomineeKind.INDIVIDUAL else b"",
        position=(staff.position if staff else nfc(position)) or None,
        unit_label=dossier.unit.name,
        gender=(staff.gender if staff else gender) or None,
        award_form_id=form.id,
        status=NomineeStatus.PROPOSED,
    )
    if kind == NomineeKind.COLLECTIVE:
        nominee.sort_key = name_sort_key("") + fold(name).encode()
    dossier.nominees.append(nominee)
    db.session.flush()
    _changed(actor, dossier, "nominee_added", name=name, form=form.name)
    return nominee


def update_nominee(
    actor, nominee: Nominee, *, version, award_form_id: int, position: str | None
) -> None:
    dossier = nominee.dossier
    expect_version(dossier, version)
    form = db.session.get(AwardForm, award_form_id)
    if form is None:
        raise DomainError("Hình thức khen thưởng không tồn tại.")
    _check_nominee(
        dossier,
        kind=nominee.kind,
        staff=nominee.staff,
        name=nominee.name,
        form=form,
        exclude_id=nominee.id,
    )
    nominee.award_form_id, nominee.position = form.id, nfc(position) or None
    _changed(actor, dossier, "nominee_updated", name=nominee.name, form=form.name)


def remove_nominee(actor, nominee: Nominee, *, version) -> None:
    dossier = nominee.dossier
    expect_version(dossier, version)
    dossier.nominees.remove(nominee)
    _changed(actor, dossier, "nominee_removed", name=nominee.name)


REPORT_FIELDS = (
    "birth_date",
    "hometown",
    "qualifications",
    "situation",
    "duties",
    "achievements",
    "initiatives",
    "awards_received",
)


def save_report(actor, nominee: Nominee, *, version, **fields) -> AchievementReport:
    dossier = nominee.dossier
    expect_version(dossier, version)
    report = nominee.report or AchievementReport()
    nominee.report = report
    changed = False
    for key in REPORT_FIELDS:
        value = fields.get(key)
        value = nfc(value) or None if isinstance(value, str) else value
        if getattr(report, key) != value:
            setattr(report, key, value)
            changed = True
    if changed and report.confirmed_at is not None:
        # What the head confirmed is no longer what the report says.
        report.confirmed_at, report.confirmed_by_id = None, None
    _changed(actor, dossier, "report_saved", name=nominee.name)
    return report


def confirm_report(actor, nominee: Nominee, *, version) -> None:
    dossier = nominee.dossier
    expect_version(dossier, version)
    if dossier.unit_id not in actor.unit_ids(Role.UNIT_HEAD):
        raise DomainError("Chỉ thủ trưởng đơn vị được xác nhận báo cáo thành tích.")
    report = nominee.report
    if report is None or not report.achievements:
        raise DomainError("Báo cáo thành tích chưa có nội dung để xác nhận.")
    report.confirmed_at, report.confirmed_by_id = now(), actor.id
    _changed(actor, dossier, "report_confirmed", name=nominee.name)


# --- workflow acts -----------------------------------------------------------------


UNCHANGED = (
    "Hồ sơ không thay đổi gì so với lần nộp trước. Hãy ghi rõ đã sửa, bổ sung những gì "
    "theo yêu cầu của Văn phòng Sở (ô bên cạnh nút «Nộp hồ sơ»), rồi nộp lại."
)


@operation(DossierTrigger.SUBMIT)
def submit(actor, dossier: Dossier, *, version, comment: str | None = None) -> None:
    """Submit (again). A returned dossier sent back unchanged must say what was fixed:
    the comment, required then, stays on the timeline and in the audit trail."""
    expect_version(dossier, version)
    comment = nfc(comment) or None
    if dossier.state == DossierState.RETURNED and comment is None and _unchanged(dossier):
        raise DomainError(UNCHANGED)
    fire(dossier, DossierTrigger.SUBMIT, Context(actor=actor, comment=comment))
    dossier.revision += 1
    db.session.add(
        Snapshot(dossier_id=dossier.id, revision=dossier.revision, content=to_json(dossier))
    )
    for item in dossier.fix_items:
        item.resolved = True
    db.session.flush()


def _unchanged(dossier: Dossier) -> bool:
    """Its content equals the last submission's snapshot."""
    last = db.session.scalar(
        select(Snapshot.content)
        .where(Snapshot.dossier_id == dossier.id)
        .order_by(Snapshot.revision.desc())
        .limit(1)
    )
    return last is not None and last == to_json(dossier)


@operation(DossierTrigger.WITHDRAW, comment="reason")
def withdraw(actor, dossier: Dossier, *, version, reason: str) -> None:
    expect_version(dossier, version)
    fire(dossier, DossierTrigger.WITHDRAW, Context(actor=actor, comment=nfc(reason)))


@operation(DossierTrigger.RETURN_FOR_REVISION)
def return_for_revision(
    actor, dossier: Dossier, *, version, items: list[dict], comment: str | None = None
) -> None:
    """items: [{"nominee_id": int | None, "component": str, "reason": str}]"""
    expect_version(dossier, version)
    names = {n.id: n.name for n in dossier.nominees}
    for item in items:
        if item.get("nominee_id") and item["nominee_id"] not in names:
            raise DomainError("Nội dung cần bổ sung trỏ tới người không thuộc hồ sơ này.")
        if item.get("component") not in FixComponent.__members__.values():
            item["component"] = FixComponent.OTHER

    def words(item) -> str:
        who = names.get(item.get("nominee_id")) or "Cả hồ sơ"
        return f"{who} – {FixComponent(item['component']).title_vi}: {nfc(item.get('reason'))}"

    with transition(
        dossier,
        DossierTrigger.RETURN_FOR_REVISION,
        Context(
            actor=actor,
            comment=nfc(comment) or None,
            items=items,
            extra={"items": [words(i) for i in items]},
        ),
    ):
        for item in items:
            dossier.fix_items.append(
                FixItem(
                    revision=dossier.revision,
                    nominee_id=item.get("nominee_id") or None,
                    component=item["component"],
                    reason=nfc(item["reason"]),
                )
            )


@operation(DossierTrigger.ACCEPT)
def accept(actor, dossier: Dossier, *, version, comment: str | None = None) -> None:
    expect_version(dossier, version)
    fire(dossier, DossierTrigger.ACCEPT, Context(actor=actor, comment=nfc(comment) or None))
