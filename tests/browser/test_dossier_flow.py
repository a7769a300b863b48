"""Issue 4's story in Chromium: a unit head builds, uploads, submits; the Văn phòng returns
it with reasons; the head fixes and resubmits; every step is on the timeline."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import click_through, shot, sign_in
from tests.dossier_builders import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("flows")]


def test_unit_head_builds_submits_fixes_resubmits(live_server, browser, tmp_path):
    base, _ = live_server
    head = browser.new_context(locale="vi-VN")
    page = head.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, "truongphong.qlkh")
    page.click("nav >> text=Đợt thi đua")
    page.click("text=Khen thưởng công tác năm")
    row = page.locator("tr", has_text="Phòng Quản lý Khoa học")
    row.locator("button", has_text="Lập hồ sơ").click()
    assert "Hồ sơ của Phòng Quản lý Khoa học" in page.inner_text("h1")
    assert "Nháp" in page.inner_text("h1")
    assert "trước ngày 20/12" in page.inner_text("[data-testid=cutoff]")

    # 1. Tờ trình
    page.fill("input[name=number]", "15/TTr-QLKH")
    page.fill("input[name=signer]", "Trưởng phòng Quản lý Khoa học")
    page.click("#to-trinh button[type=submit]")
    assert "Đã lưu tờ trình." in page.inner_text("main")

    # 2. Two individuals from the register and the unit as a collective
    form = "[data-testid=nominee-form]"
    for index in (2, 3):
        page.locator(f"{form} select[name=staff_id]").select_option(index=index)
        page.locator(f"{form} select[name=award_form_id]").select_option(label="Lao động tiên tiến")
        page.click(f"{form} button[type=submit]")
        assert "Đã thêm vào danh sách đề nghị." in page.inner_text("main")
    page.locator(f"{form} select[name=kind]").select_option("collective")
    page.locator(f"{form} select[name=award_form_id]").select_option(
        label="Tập thể lao động tiên tiến"
    )
    click_through(page, f"{form} button[type=submit]")
    names = page.locator("[data-testid=nominees] tbody tr td:nth-child(2)").all_inner_texts()
    assert len(names) == 3 and any("Tập thể" in n for n in names)

    # 3. Reports, confirmed by the head
    for i in range(3):
        links = page.locator("[data-testid=nominees] tbody tr td:nth-child(5) a")
        click_through(page, links.nth(i))
        collective = page.locator("textarea[name=duties]").count() == 0
        if collective:
            page.fill("textarea[name=situation]", "Phòng có 8 công chức.")
        else:
            page.fill("textarea[name=duties]", "Tham mưu quản lý đề tài, dự án khoa học.")
        page.fill("textarea[name=achievements]", "Hoàn thành xuất sắc nhiệm vụ năm.")
        page.click("[data-testid=report-form] button[type=submit]")
        page.click("text=Xác nhận báo cáo (thủ trưởng đơn vị)")
        assert "Đã được" in page.inner_text("[data-testid=confirmation]")
        page.click("text=← Hồ sơ của Phòng Quản lý Khoa học")

    # 4. The unit meeting's minutes
    mform = "[data-testid=minutes-form]"
    page.fill(f"{mform} input[name=meeting_date]", "18/11/2026")
    page.fill(f"{mform} input[name=chair]", "Trưởng phòng")
    page.fill(f"{mform} input[name=secretary]", "Chuyên viên")
    page.fill(f"{mform} input[name=present]", "8")
    page.fill(f"{mform} input[name=total]", "8")
    for field in page.locator(f"{mform} input[name^=for_]").all():
        field.fill("7")
    for field in page.locator(f"{mform} input[name^=against_]").all():
        field.fill("1")
    page.click(f"{mform} button[type=submit]")
    assert "Đã lưu biên bản họp." in page.inner_text("main")

    # 5. The signed tờ trình and minutes as scans (both required by default)
    upload = "[data-testid=upload-form]"
    for kind, name in (("letter_scan", "Tờ trình"), ("minutes_scan", "Biên bản họp")):
        assert f"thiếu bản scan {name.lower()}" in page.inner_text("[data-testid=checklist]")
        scan = tmp_path / f"{name}.pdf"
        scan.write_bytes(pdf_bytes(f"{name} Phòng Quản lý Khoa học"))
        page.locator(f"{upload} select[name=kind]").select_option(kind)
        page.set_input_files(f"{upload} input[type=file]", str(scan))
        page.click(f"{upload} button[type=submit]")
        assert f"{name}.pdf" in page.inner_text("#tep")
    assert "Hồ sơ đã đủ thành phần" in page.inner_text("[data-testid=checklist]")
    shot(page, "dossier-ready")

    # 6. Submit
    page.click("[data-testid=acts] >> text=Nộp hồ sơ")
    assert "Đã nộp hồ sơ cho Văn phòng Sở." in page.inner_text("main")
    assert "Đã nộp" in page.inner_text("h1")
    dossier_url = page.url.split("#")[0]

    # 7. The Văn phòng returns it with a reason on one nominee
    office = browser.new_context(locale="vi-VN")
    opage = office.new_page()
    opage.set_default_timeout(15000)
    sign_in(opage, base, "vanphong")
    opage.goto(dossier_url)
    rform = "[data-testid=return-form]"
    target = opage.locator(f"{rform} select[name=fix_target]").first
    target.select_option(index=1)
    first_name = target.locator("option:checked").inner_text()
    opage.locator(f"{rform} select[name=fix_component]").first.select_option("report")
    opage.locator(f"{rform} input[name=fix_reason]").first.fill(
        "Bổ sung số liệu đề tài đã nghiệm thu."
    )
    opage.click(f"{rform} button[type=submit]")
    assert "Đã trả lại hồ sơ" in opage.inner_text("main")

    # 8. The head sees the reasons, fixes, resubmits
    page.goto(dossier_url)
    fixes = page.inner_text("[data-testid=fix-list]")
    assert first_name in fixes and "Bổ sung số liệu đề tài đã nghiệm thu." in fixes
    shot(page, "dossier-returned")
    page.click(f"[data-testid=nominees] tr:has-text('{first_name}') td:nth-child(5) a")
    page.fill(
        "textarea[name=achievements]",
        "Hoàn thành xuất sắc nhiệm vụ năm; 4 đề tài cấp tỉnh đã nghiệm thu.",
    )
    page.click("[data-testid=report-form] button[type=submit]")
    page.click("text=Xác nhận báo cáo (thủ trưởng đơn vị)")
    page.goto(dossier_url)
    page.click("[data-testid=acts] >> text=Nộp hồ sơ")
    assert "Đã nộp hồ sơ cho Văn phòng Sở." in page.inner_text("main")

    # 9. Every step on the timeline; the Văn phòng sees what changed
    timeline = page.inner_text("[data-testid=timeline]")
    for step in (
        "lập hồ sơ",
        "cập nhật tờ trình",
        "thêm vào danh sách",
        "xác nhận báo cáo thành tích",
        "tải lên tệp",
        "nộp hồ sơ",
        "trả lại để bổ sung",
        "Bổ sung số liệu đề tài đã nghiệm thu.",
    ):
        assert step in timeline, step
    assert len(re.findall(r"nộp hồ sơ", timeline)) == 2
    opage.goto(dossier_url)
    opage.click("text=Thay đổi so với lần nộp trước")
    diff = opage.inner_text("[data-testid=diff]")
    assert "4 đề tài cấp tỉnh đã nghiệm thu" in diff
    shot(opage, "dossier-diff")
    head.close()
    office.close()
