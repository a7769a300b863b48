"""Proposals upward: for the forms a higher level awards, one ZIP ready to send: the Sở's
tờ trình (PDF), the list (XLSX) and every nominee's báo cáo thành tích (PDF)."""

from __future__ import annotations

import io
import re
import zipfile

from sqlalchemy import select

from ..campaigns.models import Campaign
from ..documents import (
    build_pdf,
    heading_block,
    para,
    place_date_line,
    signature_block,
    title_block,
    wrapped_table,
)
from ..enums import NomineeStatus
from ..extensions import db
from ..intake.export import to_clean_xlsx
from ..intake.listing import Consolidated, ListRow
from ..nominations.models import Dossier, Nominee
from ..org.models import Agency
from ..text import fold
from ..timeutil import local_now

BLANK = "\u00a0" * 8


def upward_nominees(campaign: Campaign) -> list[Nominee]:
    return list(
        db.session.scalars(
            select(Nominee)
            .join(Dossier)
            .where(Dossier.campaign_id == campaign.id, Nominee.status == NomineeStatus.UPWARD)
        )
    )


def _consolidated(campaign: Campaign, nominees: list[Nominee]) -> Consolidated:
    """The package's list, under the names documents print: forms that print the same
    name (the Bằng khen of a person and of a collective) are one group."""
    order: dict[str, int] = {}
    for f in sorted({n.award_form for n in nominees}, key=lambda f: f.sort_order):
        order.setdefault(f.official_name, f.sort_order)
    rows = [
        ListRow(
            nominee_id=n.id,
            dossier_id=n.dossier_id,
            name=n.name,
            kind=n.kind,
            position=n.position or "",
            gender=n.gender,
            unit_id=n.dossier.unit_id,
            unit_name=n.dossier.unit.name,
            unit_order=n.dossier.unit.sort_order,
            form_code=n.award_form.code,
            form_name=n.award_form.official_name,
            form_order=order[n.award_form.official_name],
            form_level=n.award_form.level,
            votes_for=n.votes_for,
            votes_against=n.votes_against,
            meeting_present=n.dossier.meeting_present,
            sort_key=(n.sort_key or b"").hex(),
        )
        for n in nominees
    ]
    cons = Consolidated(
        campaign_id=campaign.id, campaign_name=campaign.name, year=campaign.year, rows=rows
    )
    cons.sort()
    return cons


def letter_pdf(campaign: Campaign, cons: Consolidated) -> bytes:
    agency = Agency.get()
    groups, rows = {}, []
    for form_name, units in cons.groups():
        groups[len(rows)] = form_name
        for _, members in units:
            for r in members:
                rows.append([str(len(rows) + 1), r.name, r.position, r.unit_name])
    counts = "; ".join(f"{name}: {sum(len(m) for _, m in units)}" for name, units in cons.groups())
    story = [
        heading_block(
            agency.parent_body,
            agency.name,
            f"Số:{BLANK}/TTr-{agency.short_code}",
            place_date_line(agency.place_name, local_now().date()),
        ),
        title_block("Tờ trình", f"Về việc đề nghị khen thưởng năm {campaign.year}"),
        para("Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh (qua Sở Nội vụ)", "center"),
        para(
            f"Căn cứ kết quả xét của Hội đồng Thi đua - Khen thưởng {agency.name}, "
            f"{agency.name} kính đề nghị Chủ tịch Ủy ban nhân dân tỉnh xem xét, khen thưởng "
            f"cho {len(cons.rows)} tập thể, cá nhân ({counts}), có danh sách kèm theo."
        ),
        para("Hồ sơ kèm theo gồm danh sách và báo cáo thành tích của từng tập thể, cá nhân./."),
        wrapped_table(
            ["STT", "Họ và tên / Tập thể", "Chức vụ", "Đơn vị"],
            rows,
            [12, 58, 45, 50],
            group_rows=groups,
        ),
        signature_block(
            ["Như trên", "Sở Nội vụ"], [agency.director_title.upper()], agency.director_name
        ),
    ]
    return build_pdf(
        story, title=f"Tờ trình đề nghị khen thưởng năm {campaign.year}", author=agency.name
    )


def report_pdf(nominee: Nominee) -> bytes:
    """The báo cáo thành tích in the sections of the decree's template."""
    from ..nominations.report_pdf import render, report_data

    return render(report_data(nominee))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60]


def build_zip(campaign: Campaign) -> tuple[bytes, int]:
    nominees = upward_nominees(campaign)
    cons = _consolidated(campaign, nominees)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("01-to-trinh.pdf", letter_pdf(campaign, cons))
        z.writestr("02-danh-sach.xlsx", to_clean_xlsx(cons, agency_name=Agency.get().name))
        for i, n in enumerate(nominees, 1):
            z.writestr(f"03-bao-cao/{i:03d}-{_slug(n.name)}.pdf", report_pdf(n))
    return buf.getvalue(), len(nominees)
