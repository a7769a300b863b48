"""Conformance of the other generated documents with NĐ 30/2020 Phụ lục I: a unit's tờ trình,
the Văn phòng's tờ trình to the council (and the list it sends), the council's minutes, the
báo cáo thành tích and the list of the upward package. Each is produced by the real route or
operation and read back with positions and fonts (tests/documents/conformance.py)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

from openpyxl import load_workbook

from dossier.council import operations as council_ops
from dossier.council.minutes import minutes_data
from dossier.council.minutes_pdf import render as render_minutes
from dossier.enums import Gender, NomineeKind, NomineeStatus, Role
from dossier.extensions import db
from dossier.history.operations import record_award
from dossier.nominations import letter_pdf
from dossier.nominations.models import AchievementReport, Nominee
from dossier.org import delegation
from dossier.text import fold, name_sort_key
from dossier.timeutil import local_now, now
from tests import builders as b
from tests import council_builders as cb
from tests import dossier_builders as db_
from tests.documents.conformance import (
    assert_centred,
    assert_fonts,
    assert_margins,
    assert_order,
    read,
)
from tests.flow_builders import ready_dossier

COUNCIL = "Hội đồng Thi đua - Khen thưởng"


def test_unit_letter_conforms(app):
    dossier, head = ready_dossier()
    body = letter_pdf.render(dossier)
    doc = read(body, "to-trinh-don-vi")
    assert_fonts(body)
    assert_margins(doc)
    assert doc.find("SỞ KHOA HỌC").regular and doc.find("PHÒNG QUẢN LÝ KHOA HỌC").bold
    title = doc.find("TỜ TRÌNH")
    assert title.bold and 13 <= title.size <= 14
    assert_centred(doc, title)
    assert_order(
        doc,
        [
            "Số: 15/TTr-QLKH",
            "TỜ TRÌNH",
            "Về việc đề nghị xét tặng danh hiệu thi",
            f"Kính gửi: {COUNCIL} Sở Khoa học và Công nghệ",
            "Danh hiệu “Lao động tiên tiến”",
            "Nơi nhận:",
            "- Lưu: VT, QLKH.",
        ],
    )
    assert doc.find("Nơi nhận:").bold and doc.find("Nơi nhận:").italic
    signer = doc.find(head.staff.position.upper())
    assert signer.bold and abs(signer.top - doc.find("Nơi nhận:").top) < 2
    assert doc.find(head.display_name).bold
    assert dossier.campaign.name not in doc.flat


def _chief_and_deputy():
    office_unit = b.unit(name="Văn phòng Sở", code="VP")
    chief = b.user(Role.OFFICE, username="chanhvp", person=b.staff(office_unit, "Lê Văn An"))
    chief.staff.position = "Chánh Văn phòng"
    deputy = b.user(username="phochanhvp", person=b.staff(office_unit, "Trần Thị Bình"))
    deputy.staff.position = "Phó Chánh Văn phòng"
    db.session.commit()
    return chief, deputy


def test_council_letter_signed_by_the_chief_or_kt_by_the_deputy(app, as_user):
    c, _ = cb.sent_list(people=[("Nguyễn Văn Hưng", "LDTT"), ("Đỗ Thị Thủy", "GK_CN")])
    c.plan_reference = "Kế hoạch số 12/KH-SKHCN ngày 08 tháng 01 năm 2026 của Sở"
    chief, deputy = _chief_and_deputy()
    url = f"/tiep-nhan/{c.id}/phien-ban/1/danh-sach.to-trinh"
    office = as_user(chief)
    body = office.get(url).data
    doc = read(body, "to-trinh-hoi-dong")
    assert_fonts(body)
    assert_margins(doc)
    assert doc.find("CHÁNH VĂN PHÒNG").bold and doc.find("Lê Văn An").bold
    assert "KT." not in doc.flat
    assert_order(
        doc,
        [
            "Số: 01/TTr-VP",  # from the register (leading zero below 10, NĐ 30)
            "TỜ TRÌNH",
            f"Kính gửi: {COUNCIL} Sở Khoa học và Công nghệ",
            "Thực hiện Kế hoạch số 12/KH-SKHCN",
            "kính trình",
            "Nơi nhận:",
            "Lê Văn An",
            "DANH SÁCH TỔNG HỢP ĐỀ NGHỊ KHEN THƯỞNG",
        ],
    )
    flat = doc.flat
    for label in ("lỗi,", "cảnh báo", "Lỗi:", "Cảnh báo:", c.name):
        assert label not in flat, label
    # The chief goes on leave and names the deputy: the letter is signed "KT.".
    today = local_now().date()
    delegation.create(
        chief,
        delegator=chief,
        substitute=deputy,
        starts_on=today,
        ends_on=today + timedelta(days=3),
        reason="Nghỉ phép",
    )
    db.session.commit()
    doc = read(office.get(url).data, "to-trinh-hoi-dong-kt")
    kt, title = doc.find("KT. CHÁNH VĂN PHÒNG"), doc.find("PHÓ CHÁNH VĂN PHÒNG")
    assert kt.bold and title.bold and kt.top < title.top
    assert doc.find("Trần Thị Bình").bold and "Lê Văn An" not in doc.flat
    # The list it sends, as a PDF of its own: the NĐ 30 frame, no working marks.
    body = office.get(f"/tiep-nhan/{c.id}/phien-ban/1/danh-sach.pdf").data
    doc = read(body, "danh-sach-tong-hop")
    assert_fonts(body)
    assert_margins(doc)
    assert doc.find("DANH SÁCH TỔNG HỢP ĐỀ NGHỊ KHEN THƯỞNG").bold
    assert doc.find("STT").bold and doc.find("Họ và tên").bold
    assert "Bản làm việc" not in doc.flat and "Lỗi:" not in doc.flat


def test_minutes_conform_with_times_recusal_and_recipients(app):
    people = [("Nguyễn Văn Hưng", "LDTT"), ("Đỗ Thị Thủy", "LDTT"), ("Lý Minh Đức", "LDTT")]
    m, d, chair, secretary, members = cb.meeting(present=12, size=12, people=people)
    voters = [chair, secretary, *members]
    nominees = sorted(n.id for n in d.nominees)
    for k, voter in enumerate(voters):
        if k == 3:  # one member does not vote on the first nominee
            council_ops.cast(
                voter,
                m,
                votes={n: True for n in nominees[1:]},
                recusals={nominees[0]: "Cùng đơn vị"},
            )
        else:
            council_ops.cast(voter, m, votes={n: True for n in nominees})
    db.session.commit()
    council_ops.close_vote(chair, m, version=m.version)
    db.session.commit()
    body = render_minutes(minutes_data(m))
    doc = read(body, "bien-ban-hoi-dong")
    assert_fonts(body)
    assert_margins(doc)
    title = doc.find("BIÊN BẢN")
    assert title.bold and 13 <= title.size <= 14
    assert_centred(doc, title)
    opened = m.opened_at.astimezone(local_now().tzinfo)
    closed = m.closed_at.astimezone(local_now().tzinfo)
    flat = doc.flat
    assert f"vào lúc {opened:%H} giờ {opened:%M} phút" in flat
    assert f"kết thúc vào lúc {closed:%H} giờ {closed:%M} phút" in flat
    recusing = voters[3].display_name
    first = next(n for n in d.nominees if n.id == nominees[0])
    assert (
        f"{recusing}" in flat
        and f"không biểu quyết đối với {first.name} ({d.unit.name}): Cùng đơn vị" in flat
    )
    assert_order(
        doc,
        [
            "I. Thời gian, địa điểm, thành phần",
            "II. Nội dung",
            "Thành viên Hội đồng không tham gia biểu quyết:",
            "III. Kết luận",
            "THƯ KÝ",
            "Nơi nhận:",
            "- Lưu: VT, VP.",
        ],
    )
    assert doc.find("THƯ KÝ").bold and doc.find("CHỦ TỊCH HỘI ĐỒNG").bold
    assert doc.find("Nơi nhận:").bold and doc.find("Nơi nhận:").italic
    assert m.campaign.name not in flat


def test_minutes_name_the_unit_when_two_nominees_share_a_name():
    from tests.test_council_minutes_pdf import make_data

    data = make_data(6)
    twin = data.results[0]
    other = type(twin)(**{**twin.__dict__, "unit": "Thanh tra Sở", "passed": False})
    data.results.append(other)
    doc = read(render_minutes(data))
    assert f"{twin.name} ({twin.unit})" in doc.flat  # approved, and named twice
    assert f"{twin.name} (Thanh tra Sở)" in doc.flat


def _upward_nominee(c, unit, head):
    person = b.staff(
        unit, "Phạm Thị Hồng Nhung", gender=Gender.FEMALE, position="Chuyên viên chính"
    )
    person.birth_date = date(1984, 3, 5)
    form = next(f for f in c.award_forms if f.code == "BK_CN")
    d = db_.dossier(unit, c, state="decided")
    n = Nominee(
        dossier_id=d.id,
        kind=NomineeKind.INDIVIDUAL,
        staff_id=person.id,
        name=person.full_name,
        name_folded=fold(person.full_name),
        sort_key=name_sort_key(person.full_name),
        position=person.position,
        unit_label=unit.name,
        gender=Gender.FEMALE,
        award_form_id=form.id,
        status=NomineeStatus.UPWARD,
    )
    db.session.add(n)
    db.session.flush()
    n.report = AchievementReport(
        hometown="Phan Rang - Tháp Chàm, Ninh Thuận",
        qualifications="Thạc sĩ Công nghệ sinh học",
        duties="Quản lý đề tài khoa học cấp tỉnh.",
        achievements="Chủ trì 2 đề tài được nghiệm thu xuất sắc.",
        confirmed_at=now(),
        confirmed_by_id=head.id,
    )
    for year, code, name, number, when in (
        (2023, "LDTT", "Danh hiệu “Lao động tiên tiến”", "210/QĐ-SKHCN", date(2024, 1, 10)),
        (2024, "CSTDCS", "Danh hiệu “Chiến sĩ thi đua cơ sở”", "248/QĐ-SKHCN", date(2025, 1, 8)),
        (2024, "GK_CN", "Giấy khen", "249/QĐ-SKHCN", date(2025, 1, 8)),
    ):
        record_award(
            year=year,
            staff=person,
            award_code=code,
            award_name=name,
            decision_number=number,
            decision_date=when,
            issuer="Giám đốc Sở Khoa học và Công nghệ",
            source="import",
        )
    db.session.commit()
    return n


def test_achievement_report_and_upward_list(app, as_user):
    c = db_.campaign()
    unit = b.unit(name="Phòng Quản lý Khoa học", code="QLKH")
    head = b.user(Role.UNIT_HEAD, unit_obj=unit, username="tp_qlkh")
    head.staff.position = "Trưởng phòng"
    n = _upward_nominee(c, unit, head)
    office = as_user(b.user(Role.OFFICE))
    resp = office.get(f"/quyet-dinh/de-nghi-cap-tren/{c.id}.zip")
    assert resp.status_code == 200
    z = zipfile.ZipFile(io.BytesIO(resp.data))
    report = next(z.read(name) for name in z.namelist() if name.startswith("03-bao-cao/"))
    doc = read(report, "bao-cao-thanh-tich")
    assert_fonts(report)
    assert_margins(doc)
    assert doc.find("BÁO CÁO THÀNH TÍCH").bold
    assert_order(
        doc,
        [
            "BÁO CÁO THÀNH TÍCH",
            "Đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
            "I. SƠ LƯỢC LÝ LỊCH",
            "- Họ và tên: Phạm Thị Hồng Nhung",
            "- Sinh ngày, tháng, năm: 05/03/1984; giới tính: Nữ",
            "- Quê quán: Phan Rang - Tháp Chàm, Ninh Thuận",
            "II. THÀNH TÍCH ĐẠT ĐƯỢC",
            "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG",
            "1. Danh hiệu thi đua:",
            "210/QĐ-SKHCN",
            "248/QĐ-SKHCN",
            "2. Hình thức khen thưởng:",
            "249/QĐ-SKHCN",
            "XÁC NHẬN, ĐỀ NGHỊ",
        ],
    )
    number, day = (
        doc.find("Quyết định số 248/QĐ-SKHCN ngày"),
        doc.find("08/01/2025 của Giám đốc Sở"),
    )
    assert number.page == day.page and 0 < day.top - number.top < 8  # one cell, two lines
    reporter = doc.find("NGƯỜI BÁO CÁO THÀNH TÍCH")
    confirm = doc.find("TRƯỞNG PHÒNG", page=len(doc.pages))
    assert doc.find("XÁC NHẬN, ĐỀ NGHỊ").top > confirm.top
    assert reporter.bold and confirm.bold and abs(reporter.top - confirm.top) < 2
    assert confirm.centre < reporter.centre  # the head left, the reporter right
    assert doc.find(head.display_name, page=len(doc.pages)).bold
    assert doc.find(n.name, page=len(doc.pages)).bold
    names = doc.find(head.display_name, page=len(doc.pages)), doc.find(n.name, page=len(doc.pages))
    assert abs(names[0].top - names[1].top) < 1  # level, whatever the titles' length
    # The list that leaves the Sở: the nominees and what is proposed, nothing more.
    wb = load_workbook(io.BytesIO(z.read("02-danh-sach.xlsx")))
    assert wb.sheetnames == ["Danh sách"]
    cells = " ".join(str(v) for row in wb.active.iter_rows(values_only=True) for v in row if v)
    for label in ("Lỗi", "Cảnh báo", "Bản làm việc", "Phiếu tại đơn vị", "(cá nhân)", c.name):
        assert label not in cells, label
    assert "Phạm Thị Hồng Nhung" in cells and "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in cells
    letter = z.read("01-to-trinh.pdf")
    doc = read(letter, "to-trinh-cap-tren")
    assert_fonts(letter)
    assert_margins(doc)
    assert c.name not in doc.flat and "(cá nhân)" not in doc.flat
