"""Demo: last year's campaign with one issued decision (60+ awardees) and one draft that
waits for the Director, so a new user can open the one and issue the other at once.

The issued decision is the one the archive's titles of that year came from: those rows
leave the paper archive and the decision records them again, so nobody holds a title twice
in a year; each CSTĐCS is proposed with its LĐTT (Luật 2022, Điều 80: the pair), and the
decision refuses anyone breaking a blocking rule (the demo's facts meet them)."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import delete, select

from ..campaigns.catalogue import ensure_default_forms
from ..campaigns.legal import ensure_default_texts
from ..campaigns.models import Campaign
from ..enums import CampaignKind, DocKind, NomineeKind, NomineeStatus
from ..extensions import db
from ..history import tally
from ..history.models import AwardRecord
from ..nominations.models import AchievementReport, Dossier, Nominee
from ..org.models import Agency, Staff, Unit, User
from ..register import operations as register
from ..states import DossierState
from ..text import fold, name_sort_key
from ..timeutil import cutoff_before, local_now, now
from . import operations as ops
from .models import Decision


def build_decisions(people=None, extra_units=None, nominees_per_unit=None) -> list[str]:
    year = local_now().year - 1
    name = f"Khen thưởng công tác năm {year}"
    if db.session.scalar(select(Campaign).where(Campaign.name == name)) is not None:
        return []
    forms = {f.code: f for f in ensure_default_forms()}
    campaign = Campaign(
        name=name,
        year=year,
        kind=CampaignKind.YEARLY,
        cutoff_at=cutoff_before(date(year, 12, 20)),
        legal_texts=[t for t in ensure_default_texts() if t.default_on],
        bonus_article=True,
        award_forms=list(forms.values()),
    )
    db.session.add(campaign)
    db.session.flush()
    rng = random.Random(year)
    numbers = _archive_numbers()
    archive = _from_archive(year)
    codes = ["BGD", "VP", "TTRA", "QLKH", "QLCN", "KHTC", "TDC", "TTUD"]
    units = db.session.scalars(
        select(Unit).where(Unit.code.in_(codes)).order_by(Unit.sort_order)
    ).all()
    for unit in units:
        # Approved by last year's council: the dossier is "Đã xét", its nominees "Đạt".
        d = Dossier(
            campaign_id=campaign.id,
            unit_id=unit.id,
            seq=1,
            state=DossierState.DECIDED,
            revision=1,
            submitted_at=now(),
            letter_number=f"{unit.id}/TTr-{unit.code}",
        )
        db.session.add(d)
        db.session.flush()
        staff = db.session.scalars(
            select(Staff).where(Staff.unit_id == unit.id).order_by(Staff.id)
        ).all()
        for person in staff:
            codes = archive.get(("staff", person.id), [])
            if not codes and rng.random() < 0.1:
                codes = ["GK_CN"]
            for code in codes:
                db.session.add(
                    _nominee(d, person.full_name, NomineeKind.INDIVIDUAL, person, forms[code], unit)
                )
        if "TTLDTT" in archive.get(("unit", unit.id), []) or not archive:
            db.session.add(
                _nominee(d, unit.name, NomineeKind.COLLECTIVE, None, forms["TTLDTT"], unit)
            )
        if unit.code in ("QLKH", "TDC"):  # the council proposed one person of each upward
            upward = _nominee(
                d, staff[1].full_name, NomineeKind.INDIVIDUAL, staff[1], forms["BK_CN"], unit
            )
            upward.status = NomineeStatus.UPWARD
            db.session.add(upward)
    db.session.flush()
    office = db.session.scalar(select(User).where(User.username == "vanphong"))
    director = db.session.scalar(select(User).where(User.username == "giamdoc"))
    clerk = db.session.scalar(select(User).where(User.username == "vanthu"))
    titles = ops.draft(
        office,
        campaign,
        form_codes={"LDTT", "CSTDCS", "TTLDTT"},
        subject=f"Về việc tặng danh hiệu thi đua năm {year}",
    )
    ops.sign(director, titles, version=titles.version)
    ops.issue(clerk, titles, version=titles.version)
    gk = ops.draft(
        office,
        campaign,
        form_codes={"GK_CN"},
        subject=f"Về việc tặng Giấy khen của Giám đốc Sở năm {year}",
    )
    db.session.flush()
    issued = db.session.scalar(select(Decision).where(Decision.id == titles.id))
    nxt = _register_in_step(clerk, numbers)
    return [
        f"Quyết định: số {issued.number:02d}/QĐ đã ban hành ({len(issued.awards)} tập thể, "
        f"cá nhân); dự thảo Giấy khen ({len(gk.awards)} cá nhân) chờ giamdoc ký, rồi vanthu "
        f"cấp số, ban hành: số tiếp theo trong sổ là {nxt}."
    ]


def _archive_numbers() -> dict[int, int]:
    """The highest decision number the archive holds for each year (read before this year's
    titles are taken out of it)."""
    code = Agency.get().short_code
    suffix = f"/{DocKind.DECISION.value}-{code}"
    highest: dict[int, int] = {}
    for number, day in db.session.execute(
        select(AwardRecord.decision_number, AwardRecord.decision_date).where(
            AwardRecord.source == "import", AwardRecord.decision_number.like(f"%{suffix}")
        )
    ):
        head = number.removesuffix(suffix)
        if head.isdigit() and day is not None:
            highest[day.year] = max(highest.get(day.year, 0), int(head))
    return highest


def _register_in_step(clerk, highest: dict[int, int]) -> str:
    """The register as the Văn thư keeps it in step with the agency's paper one: each
    archive year's sequence at the highest decision number the archive holds for it, and
    this year's at the archive's latest (248 when the archive's last year ends with
    248/QĐ-SKHCN), as if the agency had issued as many decisions by now: the next decision
    the Văn thư issues is then 249/QĐ-SKHCN."""
    code = Agency.get().short_code
    this_year = local_now().year
    past = [y for y in highest if y < this_year]
    if past:  # the archive's latest year; a record of this year's (given early) may be lower
        highest[this_year] = max(
            highest[max(past)],
            highest.get(this_year, 0),
            register.peek(DocKind.DECISION, code, this_year) - 1,
        )
    for year, value in sorted(highest.items()):
        register.set_current(
            clerk, issuer=code, kind=DocKind.DECISION, year=year, seen=None, value=value
        )
    return register.code(register.peek(DocKind.DECISION, code, this_year), DocKind.DECISION, code)


TITLES = ("LDTT", "CSTDCS", "TTLDTT")


def _from_archive(year: int) -> dict[tuple, list[str]]:
    """The year's titles of the Sở's own decision in the demo archive, taken out of it:
    the issued decision records them (once). {("staff", id) | ("unit", id): [codes]}."""
    rows = db.session.execute(
        select(AwardRecord.id, AwardRecord.staff_id, AwardRecord.unit_id, AwardRecord.award_code)
        .where(
            AwardRecord.year == year,
            AwardRecord.source == "import",
            AwardRecord.award_code.in_(TITLES),
            AwardRecord.revoked_at.is_(None),
            AwardRecord.counts_as_basis.is_(True),
        )
        .order_by(AwardRecord.id)
    ).all()
    out: dict[tuple, list[str]] = {}
    for _, staff_id, unit_id, code in rows:
        key = ("staff", staff_id) if staff_id else ("unit", unit_id)
        if code not in out.setdefault(key, []):
            out[key].append(code)
    if rows:
        db.session.execute(delete(AwardRecord).where(AwardRecord.id.in_([r[0] for r in rows])))
        tally.rebuild()  # a bulk DELETE passes no flush: count again
    return out


def _nominee(d, name, kind, person, form, unit) -> Nominee:
    return Nominee(
        dossier_id=d.id,
        kind=kind,
        staff_id=person.id if person else None,
        name=name,
        name_folded=fold(name),
        sort_key=name_sort_key(name) if person else b"",
        unit_label=unit.name,
        position=person.position if person else None,
        award_form_id=form.id,
        status=NomineeStatus.APPROVED,
        votes_for=5,
        votes_against=0,
        report=AchievementReport(
            duties="Chuyên môn.", achievements="Hoàn thành xuất sắc nhiệm vụ.", confirmed_at=now()
        ),
    )
