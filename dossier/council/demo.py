"""Demo: the thematic campaign's list sent to the council, a meeting ready for the chair.

The yearly campaign is left for the Văn phòng's intake (its findings are there on purpose);
here two units' dossiers go through intake cleanly and the council meets on them.
"""

from __future__ import annotations

from sqlalchemy import func, select

from ..campaigns.models import Campaign
from ..enums import CampaignKind
from ..extensions import db
from ..intake import operations as intake_ops
from ..nominations import operations as ops
from ..org.models import Unit, User
from ..timeutil import local_now
from . import operations as council_ops
from .models import Meeting, Recusal


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def build_council(people=None, extra_units=None, nominees_per_unit=None) -> list[str]:
    from ..demo_dossiers import _fill

    campaign = db.session.scalar(
        select(Campaign).where(Campaign.kind == CampaignKind.THEMATIC).order_by(Campaign.id.desc())
    )
    if campaign is None or db.session.scalar(
        select(Meeting).where(Meeting.campaign_id == campaign.id)
    ):
        return []
    office = _user("vanphong")
    for username, code, codes, collective in (
        ("truongphong.qlcn", "QLCN", ["GK_CN", "GK_CN", "GK_CN"], "GK_TT"),
        ("chanhthanhtra", "TTRA", ["GK_CN", "GK_CN"], "GK_TT"),
    ):
        head = _user(username)
        unit = db.session.scalar(select(Unit).where(Unit.code == code))
        d = ops.create_dossier(head, campaign, unit)
        _fill(d, head, codes, collective=collective)
        ops.submit(head, d, version=d.version)
        db.session.flush()
        ops.accept(office, d, version=d.version)
    db.session.flush()
    version = intake_ops.send_to_council(
        office,
        campaign,
        letter_number="52/TTr-VP",
        letter_date=local_now().date(),
        note="Danh sách khen thưởng phong trào cải cách hành chính.",
        confirm_missing=True,  # the demo's other units have not submitted to this campaign
    )
    meeting = council_ops.create_meeting(
        office,
        campaign,
        held_on=local_now().date(),
        place="Phòng họp Sở, tầng 2",
        guests="Đại diện Sở Nội vụ",
    )
    absent = _user("chidoan")  # sends a written view: the Thư ký records it
    council_ops.set_attendance(
        office,
        meeting,
        version=meeting.version,
        present_ids={a.member_id for a in meeting.attendance if a.member_id != absent.id},
    )
    return [
        f"Hội đồng: phiên họp về «{campaign.name}» trên danh sách phiên bản số "
        f"{version.number} ({len(version.consolidated().rows)} đề nghị) đã sẵn sàng; "
        "giamdoc (Chủ tịch) mở biểu quyết, các thành viên bỏ phiếu kín, vanphong (Thư ký) "
        "nhập phiếu giấy và ý kiến bằng văn bản.",
        f"Hội đồng: {_recusals(meeting)} trường hợp thành viên không tham gia biểu quyết do "
        "hệ thống ghi nhận (tập thể của chính đơn vị mình: truongphong.qlcn, chanhthanhtra); "
        "thành viên thấy trên phiếu, biên bản ghi lại.",
    ]


def _recusals(meeting: Meeting) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Recusal).where(Recusal.meeting_id == meeting.id)
    )
