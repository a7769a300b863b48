"""Writing the history: an award received (from an issued decision), and its revocation."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update

from .. import audit
from ..access import Action, can
from ..campaigns.models import AwardForm
from ..enums import DisciplineLevel, InitiativeScope, NomineeKind, Rating
from ..errors import DomainError
from ..extensions import db
from ..org.models import Staff
from ..text import fold, nfc
from ..timeutil import local_now, now, vn_date
from . import tally
from .facts import Discipline, Initiative, StaffRating
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
    tally.remove(record)  # a Core UPDATE passes no flush
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


# --- the facts the award rules read: yearly ratings, initiatives, disciplines -------------

MAX_TITLE = 300


def _fact_year(year: int | None, what: str) -> int:
    if year is None or not FIRST_YEAR <= year <= local_now().year:
        raise DomainError(f"Năm {what} {year if year is not None else ''} không hợp lệ.".strip())
    return year


def _fact_audit(actor, action: str, staff: Staff, data: dict) -> None:
    audit.record(
        actor=actor,
        action=action,
        object_type="staff",
        object_id=staff.id,
        data={"name": staff.full_name, **data},
        verdict=can(actor, Action.EDIT_STAFF_FACTS, staff),
    )


def set_rating(actor, staff: Staff, *, year: int | None, rating: str) -> StaffRating:
    """The year's rating (đánh giá, xếp loại chất lượng), replacing the one entered before."""
    year = _fact_year(year, "xếp loại")
    if rating not in {r.value for r in Rating}:
        raise DomainError("Mức xếp loại không hợp lệ.")
    row = db.session.scalar(
        select(StaffRating).where(StaffRating.staff_id == staff.id, StaffRating.year == year)
    )
    if row is None:
        row = StaffRating(staff_id=staff.id, year=year, rating=rating)
        db.session.add(row)
    else:
        row.rating = rating
    db.session.flush()
    _fact_audit(actor, "rating_set", staff, {"year": year, "rating": rating})
    return row


def add_initiative(
    actor,
    staff: Staff,
    *,
    title: str,
    decision_number: str,
    decision_date: date | None,
    scope: str,
) -> Initiative:
    title, number = " ".join(nfc(title).split()), " ".join(nfc(decision_number).split())
    if not title or not number or decision_date is None:
        raise DomainError("Cần tên sáng kiến, số và ngày quyết định công nhận.")
    if len(title) > MAX_TITLE or len(number) > 60:
        raise DomainError("Tên sáng kiến hoặc số quyết định dài quá.")
    _fact_year(decision_date.year, "quyết định công nhận")
    if decision_date > local_now().date():
        raise DomainError("Ngày quyết định công nhận ở sau ngày hôm nay.")
    if scope not in {s.value for s in InitiativeScope}:
        raise DomainError("Phạm vi ảnh hưởng không hợp lệ.")
    folded = fold(title)
    if db.session.scalar(
        select(Initiative.id).where(
            Initiative.staff_id == staff.id,
            Initiative.title_folded == folded,
            Initiative.decision_number == number,
        )
    ):
        raise DomainError(f"Sáng kiến «{title}» theo quyết định {number} đã được ghi.")
    row = Initiative(
        staff_id=staff.id,
        title=title,
        title_folded=folded,
        decision_number=number,
        decision_date=decision_date,
        scope=scope,
    )
    db.session.add(row)
    db.session.flush()
    _fact_audit(actor, "initiative_added", staff, {"title": title, "decision": number})
    return row


def add_discipline(
    actor, staff: Staff, *, year: int | None, level: str, decision_number: str | None
) -> Discipline:
    year = _fact_year(year, "kỷ luật")
    if level not in {lv.value for lv in DisciplineLevel}:
        raise DomainError("Hình thức kỷ luật không hợp lệ.")
    number = " ".join(nfc(decision_number).split()) or None
    if db.session.scalar(
        select(Discipline.id).where(
            Discipline.staff_id == staff.id, Discipline.year == year, Discipline.level == level
        )
    ):
        raise DomainError(f"Kỷ luật năm {year} ở mức này đã được ghi.")
    row = Discipline(staff_id=staff.id, year=year, level=level, decision_number=number)
    db.session.add(row)
    db.session.flush()
    _fact_audit(actor, "discipline_added", staff, {"year": year, "level": level})
    return row


def remove_fact(actor, row: StaffRating | Initiative | Discipline) -> None:
    """An entry made by mistake: gone, with an audit event saying what it was."""
    staff = row.staff
    what = {
        StaffRating: ("rating_removed", lambda r: {"year": r.year, "rating": r.rating}),
        Initiative: ("initiative_removed", lambda r: {"title": r.title}),
        Discipline: ("discipline_removed", lambda r: {"year": r.year, "level": r.level}),
    }[type(row)]
    data = what[1](row)
    db.session.delete(row)
    db.session.flush()
    _fact_audit(actor, what[0], staff, data)
