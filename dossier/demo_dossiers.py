"""Demo campaigns and dossiers in every state, built through the real operations.

QLKH is left without a dossier so a new user can build one from scratch.
`--units N --nominees-per-unit M` adds N synthetic units, each with a submitted dossier
of M nominees, for benchmarks (inserted in bulk: operations would audit every row).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from . import audit
from .campaigns.catalogue import ensure_default_forms
from .campaigns.legal import ensure_default_texts
from .campaigns.models import Campaign, Registration
from .demo_bulk import _bulk
from .enums import CampaignKind, Component, NomineeKind
from .extensions import db
from .nominations import operations as ops
from .nominations.models import Dossier, Nominee
from .org.models import Staff, Unit, User
from .timeutil import cutoff_before, local_now, now

# The Luật and the decree come from the catalogue (campaigns/legal.py); this is the
# campaign's own line, cited in full.
LEGAL_BASIS = (
    "Kế hoạch số 1535/KH-SKHCN ngày 08 tháng 01 năm {year} của Sở Khoa học và Công nghệ "
    "về phát động phong trào thi đua năm {year}"
)

ACHIEVEMENT = (
    "Hoàn thành xuất sắc nhiệm vụ được giao; tham mưu kịp thời các văn bản quản lý "
    "nhà nước về khoa học và công nghệ; tích cực tham gia phong trào thi đua cải "
    "cách hành chính năm {year}."
)


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _unit(code: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def _campaigns() -> tuple[Campaign, bool]:
    forms = {f.code: f for f in ensure_default_forms()}
    year = local_now().year
    deadline = date(year, 12, 20)
    if cutoff_before(deadline) < now():
        year, deadline = year + 1, date(year + 1, 12, 20)
    name = f"Khen thưởng công tác năm {year}"
    campaign = db.session.scalar(select(Campaign).where(Campaign.name == name))
    if campaign is not None:
        return campaign, False
    campaign = Campaign(
        name=name,
        year=year,
        kind=CampaignKind.YEARLY,
        cutoff_at=cutoff_before(deadline),
        plan_reference=f"Kế hoạch số 1535/KH-SKHCN ngày 08/01/{year} của Sở Khoa học và Công nghệ",
        legal_basis=LEGAL_BASIS.format(year=year),
        legal_texts=[t for t in ensure_default_texts() if t.default_on],
        bonus_article=True,
        description="Bình xét danh hiệu thi đua và hình thức khen thưởng năm; hồ sơ gửi Văn "
        "phòng Sở để tổng hợp trình Hội đồng Thi đua - Khen thưởng.",
        award_forms=list(forms.values()),
    )
    campaign.registrations = [
        Registration(award_form_id=forms["BK_TT"].id, count=1),
        Registration(award_form_id=forms["BK_CN"].id, count=1),
    ]
    db.session.add(campaign)
    thematic = Campaign(
        name=f"Phong trào thi đua cải cách hành chính năm {year}",
        year=year,
        kind=CampaignKind.THEMATIC,
        cutoff_at=cutoff_before(date(year, 12, 10)),
        plan_reference=f"Kế hoạch số …/KH-SKHCN tháng 01/{year}",
        legal_texts=[t for t in ensure_default_texts() if t.default_on],
        achievement_phrase=f"đã có thành tích xuất sắc trong phong trào thi đua cải cách hành "
        f"chính năm {year}",
        award_forms=[forms["GK_CN"], forms["GK_TT"], forms["BK_CN"], forms["BK_TT"]],
    )
    thematic.registrations = [
        Registration(award_form_id=forms["BK_TT"].id, count=1),
        Registration(award_form_id=forms["BK_CN"].id, count=1),
    ]
    db.session.add(thematic)
    db.session.flush()
    audit.record(
        actor=None,
        action="campaign_created",
        object_type="campaign",
        object_id=campaign.id,
        data={"name": name},
    )
    return campaign, True


def _evidence(head: User, dossier: Dossier, nominee: Nominee, kind: str = "initiative") -> None:
    """A nominee's proof as a real PDF upload: the recognised initiative's certificate,
    which CSTĐCS requires, or the signed scan of the achievement report (Bằng khen)."""
    if kind == "report_scan":
        text, filename = f"Báo cáo thành tích của {nominee.name} (bản scan)", "Bao cao (scan).pdf"
    else:
        text = f"Quyết định công nhận sáng kiến của {nominee.name}"
        filename = "Quyết định công nhận sáng kiến.pdf"
    _upload_pdf(head, dossier, kind, text, filename, nominee_id=nominee.id)


def _scans(head: User, dossier: Dossier) -> None:
    """The signed scans of the tờ trình and the minutes the campaign requires."""
    wanted = {c.value for c in dossier.campaign.dossier_components}
    if "letter_scan" in wanted:
        title = f"Tờ trình số {dossier.letter_number} (bản scan có chữ ký, đóng dấu)"
        _upload_pdf(head, dossier, "letter_scan", title, "To trinh (ban scan).pdf")
    if "minutes_scan" in wanted:
        title = f"Biên bản họp {dossier.unit.name} (bản scan có chữ ký)"
        _upload_pdf(head, dossier, "minutes_scan", title, "Bien ban hop (ban scan).pdf")


def _upload_pdf(
    head: User, dossier: Dossier, kind: str, text: str, filename: str, nominee_id=None
) -> None:
    """A one-line PDF uploaded as a real attachment of the given kind."""
    from io import BytesIO

    from reportlab.pdfgen import canvas
    from werkzeug.datastructures import FileStorage

    from .documents import register_fonts
    from .nominations.attachments import add_attachment

    fonts = register_fonts()
    buf = BytesIO()
    page = canvas.Canvas(buf, initialFontName=fonts.regular)  # no stray Helvetica
    page.setFont(fonts.regular, 14)
    page.drawString(72, 760, text)
    page.save()
    upload = FileStorage(BytesIO(buf.getvalue()), filename=filename, content_type="application/pdf")
    add_attachment(
        head,
        dossier,
        version=dossier.version,
        kind=kind,
        nominee_id=nominee_id,
        file_storage=upload,
    )
    db.session.flush()


def _fill(
    dossier: Dossier,
    head: User,
    codes: list[str],
    *,
    collective: str | None,
    confirm: bool = True,
    typed: list[str] = (),
    pair: bool = False,
    extra: list[tuple[int, str]] = (),
) -> None:
    """A complete dossier: letter, nominees from the unit's staff, reports, minutes.
    `pair`: each person proposed for CSTĐCS is proposed for LĐTT too (the lawful pair);
    `extra`: more forms for given people (index in the unit's staff, form code)."""
    forms = {f.code: f for f in dossier.campaign.award_forms}
    year = dossier.campaign.year
    ops.update_letter(
        head,
        dossier,
        version=dossier.version,
        number=f"{10 + dossier.unit_id}/TTr-{dossier.unit.code}",
        letter_date=local_now().date() - timedelta(days=3),
        signer=head.display_name,
        text=f"{dossier.unit.name} đề nghị Giám đốc Sở xét tặng danh hiệu thi đua "
        f"và hình thức khen thưởng năm {year} cho các tập thể, cá nhân sau.",
    )
    db.session.flush()
    staff = db.session.scalars(
        select(Staff).where(Staff.unit_id == dossier.unit_id).order_by(Staff.id)
    ).all()
    wanted = list(zip(staff[1:], codes, strict=False))
    if pair:
        wanted += [(p, "LDTT") for p, code in wanted if code == "CSTDCS"]
    wanted += [(staff[i], code) for i, code in extra if i < len(staff)]
    for person, code in wanted:
        if person.on_hold:
            continue
        ops.add_nominee(
            head,
            dossier,
            version=dossier.version,
            kind=NomineeKind.INDIVIDUAL,
            award_form_id=forms[code].id,
            staff_id=person.id,
        )
        db.session.flush()
    for name in typed:  # people outside the unit's register (e.g. seconded staff)
        ops.add_nominee(
            head,
            dossier,
            version=dossier.version,
            kind=NomineeKind.INDIVIDUAL,
            award_form_id=forms["LDTT"].id,
            name=name,
            position="Viên chức",
        )
        db.session.flush()
    if collective:
        ops.add_nominee(
            head,
            dossier,
            version=dossier.version,
            kind=NomineeKind.COLLECTIVE,
            award_form_id=forms[collective].id,
            name=dossier.unit.name,
        )
        db.session.flush()
    for n in list(dossier.nominees):
        if n.award_form.code == "CSTDCS":
            _evidence(head, dossier, n)
        if Component.REPORT_SCAN in n.award_form.components:  # the signed report's scan
            _evidence(head, dossier, n, "report_scan")
    for n in dossier.nominees:
        ops.save_report(
            head,
            n,
            version=dossier.version,
            hometown="Ninh Thuận",
            qualifications="Đại học",
            duties="Tham mưu quản lý nhà nước.",
            situation="Đơn vị có chức năng tham mưu, quản lý chuyên ngành.",
            achievements=ACHIEVEMENT.format(year=year),
        )
        db.session.flush()
        if confirm:
            ops.confirm_report(head, n, version=dossier.version)
            db.session.flush()
    present = len(staff)
    ops.update_minutes(
        head,
        dossier,
        version=dossier.version,
        meeting_date=local_now().date() - timedelta(days=5),
        chair=head.display_name,
        secretary=staff[-1].full_name,
        present=present,
        total=present,
        votes={n.id: (present - 1, 1) for n in dossier.nominees},
    )
    db.session.flush()
    _scans(head, dossier)


def build_dossiers(people, extra_units=None, nominees_per_unit=None) -> list[str]:
    campaign, created = _campaigns()
    notes = []
    if created:
        office = _user("vanphong")
        # Phòng Quản lý Công nghệ: a draft, half done (reports not yet confirmed).
        d = ops.create_dossier(_user("truongphong.qlcn"), campaign, _unit("QLCN"))
        _fill(d, _user("truongphong.qlcn"), ["LDTT", "LDTT"], collective=None, confirm=False)
        # Phòng Kế hoạch – Tài chính: submitted.
        head = _user("truongphong.khtc")
        d = ops.create_dossier(head, campaign, _unit("KHTC"))
        # KHTC:1 is proposed CSTĐCS alone (no LĐTT, no initiative) and KHTC:3 for a Bằng
        # khen without two years of CSTĐCS: the rules flag both (history/demo.py plants).
        _fill(d, head, ["CSTDCS", "GK_CN", "LDTT"], collective="TTLDTT", extra=[(3, "BK_CN")])
        ops.submit(head, d, version=d.version)
        # Thanh tra Sở: returned with a fix list.
        head = _user("chanhthanhtra")
        d = ops.create_dossier(head, campaign, _unit("TTRA"))
        _fill(d, head, ["LDTT", "GK_CN"], collective="GK_TT")
        ops.submit(head, d, version=d.version)
        db.session.flush()
        ops.return_for_revision(
            office,
            d,
            version=d.version,
            items=[
                {
                    "nominee_id": d.nominees[0].id,
                    "component": "report",
                    "reason": "Báo cáo chưa nêu số liệu cụ thể về kết quả thanh tra trong năm.",
                },
                {
                    "nominee_id": None,
                    "component": "minutes",
                    "reason": "Biên bản họp thiếu chữ ký của thư ký cuộc họp.",
                },
            ],
        )
        # Chi cục TĐC: accepted.
        head = _user("chicuctruong")
        d = ops.create_dossier(head, campaign, _unit("TDC"))
        # TDC:2 gets the lawful pair LĐTT + CSTĐCS; TDC:1 a Bằng khen (CSTĐCS two years
        # running); TDC:4's LĐTT is already on record this year (the same title twice).
        _fill(
            d,
            head,
            ["LDTT", "CSTDCS", "GK_CN", "LDTT", "LDTT"],
            collective="TTLDTT",
            pair=True,
            extra=[(1, "BK_CN")],
        )
        ops.submit(head, d, version=d.version)
        db.session.flush()
        ops.accept(office, d, version=d.version, comment="Hồ sơ đầy đủ.")
        accepted = d
        # Trung tâm: returned once, fixed, resubmitted (the Văn phòng sees the diff).
        twice = next(n.name for n in accepted.nominees if n.award_form.code == "LDTT")
        head = _user("giamdoc.trungtam")
        d = ops.create_dossier(head, campaign, _unit("TTUD"))
        _fill(d, head, ["LDTT", "GK_CN"], collective="GK_TT", typed=[twice])
        ops.submit(head, d, version=d.version)
        db.session.flush()
        ops.return_for_revision(
            office,
            d,
            version=d.version,
            items=[
                {
                    "nominee_id": d.nominees[0].id,
                    "component": "report",
                    "reason": "Bổ sung sáng kiến đã được công nhận.",
                }
            ],
        )
        db.session.flush()
        n = d.nominees[0]
        ops.save_report(
            head,
            n,
            version=d.version,
            hometown="Ninh Thuận",
            qualifications="Đại học",
            duties="Tham mưu quản lý nhà nước.",
            achievements=ACHIEVEMENT.format(year=campaign.year),
            initiatives="Sáng kiến «Số hóa quy trình tiếp nhận hồ sơ đăng ký "
            "đề tài» được Hội đồng sáng kiến Sở công nhận.",
        )
        ops.confirm_report(head, n, version=d.version)
        ops.submit(head, d, version=d.version)
        notes.append(
            f"Đợt «{campaign.name}»: hồ sơ ở mọi trạng thái; Phòng Quản lý Khoa học "
            "chưa lập hồ sơ (đăng nhập truongphong.qlkh để thử). Danh sách tổng hợp "
            f"có sẵn một trường hợp trùng ({twice}) và vượt tỷ lệ Chiến sĩ thi đua "
            "cơ sở, để Văn phòng thử các bước kiểm tra. Các quy tắc xét khen thưởng báo: "
            "CSTĐCS không có LĐTT và sáng kiến (Kế hoạch – Tài chính), xếp loại chưa đạt "
            "(Trung tâm), danh hiệu đã có trong năm (Chi cục), Bằng khen thiếu hai năm "
            "CSTĐCS, tập thể có thành viên bị kỷ luật."
        )
    if extra_units:
        notes.append(_bulk(campaign, extra_units, nominees_per_unit or 10))
    return notes
