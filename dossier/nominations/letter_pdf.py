"""The unit's tờ trình as a PDF, generated from the dossier: a pure render(dossier) -> bytes."""

from __future__ import annotations

from itertools import groupby

from reportlab.platypus import Spacer

from ..documents import (
    build_pdf,
    heading_block,
    para,
    place_date_line,
    signature_block,
    title_block,
    wrapped_table,
)
from ..enums import NomineeKind, NomineeStatus, Role
from ..org.models import Agency
from ..timeutil import local_now


def _head_title(dossier) -> str:
    """The signer's title as printed: the unit head's position, e.g. "TRƯỞNG PHÒNG"."""
    for user_role in dossier.unit.staff:
        user = user_role.user
        if user and any(
            r.role == Role.UNIT_HEAD and r.unit_id == dossier.unit_id for r in user.roles
        ):
            return user_role.position
    return "Thủ trưởng đơn vị"


def render(dossier) -> bytes:
    agency = Agency.get()
    campaign = dossier.campaign
    letter_date = dossier.letter_date or local_now().date()
    blank = "Số:" + "\u00a0" * 8 + "/TTr"  # non-breaking: a paragraph keeps the gap
    number = f"Số: {dossier.letter_number}" if dossier.letter_number else blank
    nominees = [n for n in dossier.nominees if n.status != NomineeStatus.INELIGIBLE]
    rows, groups = [], {}
    ordered = sorted(nominees, key=lambda n: (n.award_form.sort_order, n.kind, n.sort_key))
    # The name documents print ("Danh hiệu “Lao động tiên tiến”", "Giấy khen"), never the
    # catalogue's working label.
    for title, members in groupby(ordered, key=lambda n: n.award_form.official_name):
        groups[len(rows)] = title
        for n in members:
            who = n.name if n.kind == NomineeKind.INDIVIDUAL else f"{n.name} (tập thể)"
            rows.append([str(len(rows) + 1), who, n.position or ""])
    story = [
        heading_block(
            agency.name, dossier.unit.name, number, place_date_line(agency.place_name, letter_date)
        ),
        title_block(
            "Tờ trình",
            "Về việc đề nghị xét tặng danh hiệu thi đua và hình thức khen thưởng năm "
            f"{campaign.year}",
        ),
        para(f"Kính gửi: Hội đồng Thi đua - Khen thưởng {agency.name}", "center"),
    ]
    if campaign.plan_reference:
        story.append(para(f"Thực hiện {campaign.plan_reference.strip().rstrip('.')};"))
    if dossier.letter_text:
        story += [para(line) for line in dossier.letter_text.splitlines() if line.strip()]
    story.append(
        para(
            f"Căn cứ kết quả họp bình xét của {dossier.unit.name}"
            + (f" ngày {dossier.meeting_date:%d/%m/%Y}" if dossier.meeting_date else "")
            + f", {dossier.unit.name} đề nghị xét tặng cho {len(nominees)} tập thể, cá nhân "
            "có tên trong danh sách dưới đây:"
        )
    )
    story.append(
        wrapped_table(
            ["STT", "Họ và tên / Tập thể", "Chức vụ"], rows, [14, 86, 65], group_rows=groups
        )
    )
    story.append(Spacer(1, 6))
    story.append(
        para(
            "Hồ sơ kèm theo gồm: báo cáo thành tích của từng tập thể, cá nhân có xác "
            "nhận của thủ trưởng đơn vị và biên bản họp bình xét của đơn vị. Kính "
            "đề nghị Hội đồng xem xét./."
        )
    )
    story.append(
        signature_block(
            ["Như trên"],
            [_head_title(dossier)],
            dossier.letter_signer or "",
            archive=f"Lưu: VT, {dossier.unit.code}.",  # the clerk's register, then the unit
        )
    )
    return build_pdf(
        story,
        title=f"Tờ trình {dossier.letter_number or ''} – {dossier.unit.name}",
        author=dossier.unit.name,
        subject=f"Đề nghị khen thưởng năm {campaign.year}",
    )
