"""Issue 14's story in Chromium: a unit head proposes for Lao động tiên tiến someone whose
yearly rating falls short; the unit's checklist says so, with the rule's source, before
submitting; once submitted, the Văn phòng sees the same finding on the consolidated list."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dossier.extensions import db
from dossier.history.demo import LOW_RATING
from dossier.nominations.models import Dossier
from dossier.org.models import Staff
from tests.browser.conftest import shot, sign_in
from tests.dossier_builders import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("flows")]


def test_a_rule_finding_travels_from_the_unit_checklist_to_the_office_list(
    live_server, browser, tmp_path
):
    base, app = live_server
    unit, index = LOW_RATING[1].split(":")  # QLKH:3, rated «hoàn thành nhiệm vụ» this year
    with app.app_context():
        person = db.session.scalar(
            select(Staff).where(Staff.email == f"{unit.lower()}{index}@skhcn.demo")
        )
        name, staff_id = person.full_name, person.id
        db.session.rollback()
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, "truongphong.qlkh")
    page.click("nav >> text=Đợt thi đua")
    page.click("text=Khen thưởng công tác năm")
    page.locator("tr", has_text="Phòng Quản lý Khoa học").locator(
        "button", has_text="Lập hồ sơ"
    ).click()
    page.fill("input[name=number]", "21/TTr-QLKH")
    page.fill("input[name=signer]", "Trưởng phòng Quản lý Khoa học")
    page.click("#to-trinh button[type=submit]")

    form = "[data-testid=nominee-form]"
    page.locator(f"{form} select[name=staff_id]").select_option(str(staff_id))
    page.locator(f"{form} select[name=award_form_id]").select_option(label="Lao động tiên tiến")
    page.click(f"{form} button[type=submit]")
    assert "Đã thêm vào danh sách đề nghị." in page.inner_text("main")

    # The unit sees the finding before submitting, with its legal source.
    checks = page.inner_text("[data-testid=rule-findings]")
    assert name in checks and "chưa đạt «Hoàn thành tốt nhiệm vụ» trở lên" in checks
    assert "Luật Thi đua, khen thưởng 2022; Nghị định 152/2025/NĐ-CP" in checks
    shot(page, "rule-checklist")

    page.locator("[data-testid=nominees] tbody tr td:nth-child(5) a").first.click()
    page.fill("textarea[name=duties]", "Tham mưu quản lý đề tài khoa học.")
    page.fill("textarea[name=achievements]", "Hoàn thành nhiệm vụ năm.")
    page.click("[data-testid=report-form] button[type=submit]")
    page.click("text=Xác nhận báo cáo (thủ trưởng đơn vị)")
    page.click("text=← Hồ sơ của Phòng Quản lý Khoa học")
    mform = "[data-testid=minutes-form]"
    page.fill(f"{mform} input[name=meeting_date]", "18/11/2026")
    page.fill(f"{mform} input[name=chair]", "Trưởng phòng")
    page.fill(f"{mform} input[name=secretary]", "Chuyên viên")
    page.fill(f"{mform} input[name=present]", "8")
    page.fill(f"{mform} input[name=total]", "8")
    page.locator(f"{mform} input[name^=for_]").first.fill("7")
    page.locator(f"{mform} input[name^=against_]").first.fill("1")
    page.click(f"{mform} button[type=submit]")
    upload = "[data-testid=upload-form]"
    for kind, title in (("letter_scan", "Tờ trình"), ("minutes_scan", "Biên bản họp")):
        scan = tmp_path / f"{title}.pdf"  # the signed scans the campaign requires
        scan.write_bytes(pdf_bytes(title))
        page.locator(f"{upload} select[name=kind]").select_option(kind)
        page.set_input_files(f"{upload} input[type=file]", str(scan))
        page.click(f"{upload} button[type=submit]")
    page.click("[data-testid=acts] >> text=Nộp hồ sơ")
    assert "Đã nộp hồ sơ cho Văn phòng Sở." in page.inner_text("main")
    context.close()

    # The Văn phòng: the same finding beside the nominee on the consolidated list.
    office = browser.new_context(locale="vi-VN")
    opage = office.new_page()
    opage.set_default_timeout(15000)
    sign_in(opage, base, "vanphong")
    with app.app_context():
        campaign_id = app.extensions["sqlalchemy"].session.scalar(
            select(Dossier.campaign_id)
            .join(Dossier.unit)
            .where(Dossier.letter_number == "21/TTr-QLKH")
        )
    opage.goto(f"{base}/tiep-nhan/{campaign_id}/danh-sach")
    row = opage.locator("[data-testid=consolidated] tr", has_text=name).first
    text = row.inner_text()
    assert "Hoàn thành nhiệm vụ" in text and "Nghị định 152/2025/NĐ-CP" in text
    assert row.locator("[data-rule=min_rating]").count() == 1
    shot(opage, "rule-office-list")
    office.close()
