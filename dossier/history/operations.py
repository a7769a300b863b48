"""Writing the history: an award received (from an issued decision), and its revocation."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update

from .. import audit
from ..access import Action, can
from ..campaigns.models import AwardForm
from ..enums import NomineeKind
from ..errors import DomainError
from ..extensions import db
from ..org.models import Staff
from ..text import fold, nfc
from ..timeutil import local_now, now, vn_date
from .models import AwardRecord

FIRST_YEAR = 1975
MAX_REASON = 2000


def record_award(
    *,
    year: int,
    kind: NomineeKind | str = NomineeKind.INDIVIDUAL,
    staff: Staff | None = None,
    staff_id: int | None = None,
    name: str | None = None,
    unit_id: int | None = None,
    birth_date: date | None = None,
    award_code: str | None = None,
    award_name: str | None = None,
    decision_number: str | None = None,
    decision_date: date | None = None,
    issuer: str | None = None,
    counts_as_basis: bool = True,
    decision_id: int | None = None,
    source: str = "decision",
) -> AwardRecord:
    """One award into the history; what the staff register knows fills the gaps.

    For an issued decision (`source="decision"`): the caller audits the decision itself.
    Idempotent per decision: the same award for the same person from the same decision
    (`decision_id`) returns the record already there.
    """
    kind = NomineeKind(kind)
    if staff is None and staff_id is not None:
        staff = db.session.get(Staff, staff_id)
        if staff is None:
            raise DomainError("Không tìm thấy cán bộ để ghi khen thưởng.")
    if staff is not None:
        if kind != NomineeKind.INDIVIDUAL:
            raise DomainError("Khen thưởng tập thể không gắn với một cán bộ.")
        name = name or staff.full_name
        unit_id = unit_id if unit_id is not None else staff.unit_id
        birth_date = birth_date or staff.birth_date
    name = " ".join(nfc(name).split())
    if not name:
        raise DomainError("Thiếu họ tên / tên tập thể được khen thưởng.")
    if not FIRST_YEAR <= year <= local_now().year + 1:
        raise DomainError(f"Năm khen thưởng {year} không hợp lệ.")
    if award_code is not None:
        form = db.session.scalar(select(AwardForm).where(AwardForm.code == award_code))
        if form is None:
            raise DomainError(f"Không có hình thức khen thưởng mã «{award_code}».")
        award_name = award_name or form.name
    award_name = nfc(award_name)
    if not award_name:
        raise DomainError("Thiếu hình thức khen thưởng.")
    if source not in ("decision", "import"):
        raise ValueError(f"unknown source {source!r}")
    folded = fold(name)
    if decision_id is not None:
        same_unit = (
            AwardRecord.unit_id.is_(None) if unit_id is None else AwardRecord.unit_id == unit_id
        )
        existing = db.session.scalar(
            select(AwardRecord).where(
                AwardRecord.decision_id == decision_id,
                AwardRecord.kind == kind.value,
                AwardRecord.name_folded == folded,
                same_unit,
                AwardRecord.award_name == award_name,
            )
        )
        if existing is not None:
            return existing
    record = AwardRecord(
        year=year,
        kind=kind.value,
        staff_id=staff.id if staff else None,
        unit_id=unit_id,
        name=name,
        name_folded=folded,
        birth_date=birth_date,
        award_code=award_code,
        award_name=award_name,
        decision_number=nfc(decision_number) or None,
        decision_date=decision_date,
        issuer=nfc(issuer) or None,
        counts_as_basis=counts_as_basis,
        source=source,
        decision_id=decision_id,
    )
    db.session.add(record)
    db.session.flush()
    return record


def revoke(
    actor,
    record: AwardRecord,
    reason: str | None,
    *,
    at: datetime | None = None,
    verdict=None,
) -> AwardRecord:
    """Chương VII of the Law: revoked by a new decision, with the reason; it stays visible.

    `at`: when the revoking decision took effect, if not now (aware UTC).
    """
    reason = nfc(reason)
    if not reason:
        raise DomainError("Cần ghi lý do thu hồi (ví dụ: số, ngày quyết định thu hồi và lý do).")
    if len(reason) > MAX_REASON:
        raise DomainError(f"Lý do thu hồi dài quá {MAX_REASON} ký tự.")
    moment = at or now()
    # Conditional: of two people revoking at once, the second is told, not silently obeyed.
    done = db.session.execute(
        update(AwardRecord)
        .where(AwardRecord.id == record.id, AwardRecord.revoked_at.is_(None))
        .values(revoked_at=moment, revoked_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        db.session.refresh(record)
        raise DomainError(
            f"Khen thưởng này đã bị thu hồi {vn_date(record.revoked_at)}: {record.revoked_reason}"
        )
    audit.record(
        actor=actor,
        action="award_revoked",
        object_type="award_record",
        object_id=record.id,
        comment=reason,
        # The act's own verdict (a revoked decision), else the Văn phòng's right to revoke.
        verdict=verdict or can(actor, Action.REVIEW_DOSSIER),
        data={
            "name": record.name,
            "year": record.year,
            "award": record.award_name,
            "decision": record.decision_number,
        },
    )
    db.session.refresh(record)
    return record
