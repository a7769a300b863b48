"""Submitted dossiers of several units in one campaign, built through the operations."""

from __future__ import annotations

import itertools
from datetime import timedelta

from dossier.enums import NomineeKind, Role
from dossier.extensions import db
from dossier.nominations import operations as ops
from dossier.timeutil import now
from tests import builders as b
from tests.dossier_builders import scans

_codes = itertools.count(1)


def submitted(
    campaign,
    people: list[tuple[str, str]],
    *,
    unit=None,
    votes=(7, 1),
    present: int = 8,
    collective: str | None = None,
    state: str = "submitted",
    hold: dict | None = None,
    rating: str | None = "good",
):
    """people: [(full name, form code)]; returns the dossier, its head and its staff.
    Each person gets the yearly rating `rating` (None: none entered), and those proposed
    for CSTĐCS a recognised initiative that year, so the award rules' facts are there."""
    n = next(_codes)
    unit = unit or b.unit(name=f"Phòng Kiểm tra {n}", code=f"KT{n}")
    head = b.user(Role.UNIT_HEAD, unit_obj=unit, username=f"kt_head_{n}")
    staff = {name: b.staff(unit, name, hold=(hold or {}).get(name)) for name, _ in people}
    from dossier.nominations.models import Dossier

    d = Dossier(campaign_id=campaign.id, unit_id=unit.id, seq=1, state="draft")
    db.session.add(d)
    db.session.flush()
    forms = {f.code: f for f in campaign.award_forms}
    ops.update_letter(
        head,
        d,
        version=d.version,
        number=f"{n}/TTr",
        letter_date=now().date(),
        signer="Thủ trưởng",
        text=None,
    )
    db.session.flush()
    for name, code in people:
        person = staff[name]
        person.hold_reason = None  # add first; the hold below is what the rules must catch
        ops.add_nominee(
            head,
            d,
            version=d.version,
            kind=NomineeKind.INDIVIDUAL,
            award_form_id=forms[code].id,
            staff_id=person.id,
        )
        db.session.flush()
    if collective:
        ops.add_nominee(
            head,
            d,
            version=d.version,
            kind=NomineeKind.COLLECTIVE,
            award_form_id=forms[collective].id,
            name=unit.name,
        )
        db.session.flush()
    for nominee in d.nominees:
        ops.save_report(
            head,
            nominee,
            version=d.version,
            duties="x",
            situation="x",
            achievements="Hoàn thành xuất sắc.",
        )
        db.session.flush()
        ops.confirm_report(head, nominee, version=d.version)
        db.session.flush()
        needs = {c.value for c in nominee.award_form.components}
        if needs & {"initiative", "report_scan"}:
            from dossier.enums import AttachmentKind
            from dossier.nominations.models import Attachment

            for kind in (AttachmentKind.INITIATIVE, AttachmentKind.REPORT_SCAN):
                d.attachments.append(
                    Attachment(
                        nominee_id=nominee.id,
                        kind=kind,
                        filename="minh-chung.pdf",
                        content_type="application/pdf",
                        size=1,
                        sha256="0" * 64,
                        uploaded_by_id=head.id,
                    )
                )
    ops.update_minutes(
        head,
        d,
        version=d.version,
        meeting_date=now().date() - timedelta(days=1),
        chair="A",
        secretary="B",
        present=present,
        total=present,
        votes={x.id: votes for x in d.nominees},
    )
    db.session.flush()
    _facts(campaign, staff, people, rating)
    scans(d, head)
    if state != "draft":
        ops.submit(head, d, version=d.version)
    for name, reason in (hold or {}).items():
        staff[name].hold_reason = reason
    if state == "accepted":
        ops.accept(b.user(Role.OFFICE), d, version=d.version)
    db.session.commit()
    return d, head


def _facts(campaign, staff, people, rating) -> None:
    from datetime import date

    from sqlalchemy import select

    from dossier.history.facts import Initiative, StaffRating

    for person in {p.id: p for p in staff.values()}.values():
        if rating and not db.session.scalar(
            select(StaffRating.id).where(
                StaffRating.staff_id == person.id, StaffRating.year == campaign.year
            )
        ):
            db.session.add(StaffRating(staff_id=person.id, year=campaign.year, rating=rating))
    for name, code in dict.fromkeys(people):
        if code == "CSTDCS":
            db.session.add(
                Initiative(
                    staff_id=staff[name].id,
                    title=f"Sáng kiến của {name}",
                    title_folded=f"sang kien {staff[name].id}",
                    decision_number=f"{staff[name].id}/QĐ-SKHCN",
                    decision_date=date(campaign.year, 6, 1),
                    scope="agency",
                )
            )
    db.session.flush()
