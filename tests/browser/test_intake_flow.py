"""Issue 5's story in Chromium: the Văn phòng sees late units, returns one dossier with
reasons, accepts the rest, sees the demo's duplicate and quota findings, downloads the list."""

from __future__ import annotations

import pytest

from tests.browser.conftest import click_through, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("flows")]


def test_office_checks_and_compiles(live_server, browser):
    base, _ = live_server
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, "vanphong")
    page.click("[data-testid=tasks] >> text=Kiểm tra hồ sơ đã nộp")
    assert "Tiếp nhận hồ sơ" in page.inner_text("h1")

    # Who has not submitted yet
    page.locator("select[name=trang-thai]").select_option("none")
    click_through(page, "text=Lọc")
    late = page.locator("[data-testid=intake] tbody tr").all_inner_texts()
    assert any("Phòng Quản lý Khoa học" in r for r in late)
    assert any("Phòng Quản lý Công nghệ" in r and "Nháp" in r for r in late)
    assert not any("Đã nộp" in r for r in late)
    shot(page, "intake-late")
    page.locator("select[name=trang-thai]").select_option("")
    click_through(page, "text=Lọc")

    # Return Phòng Kế hoạch – Tài chính with a reason on its first nominee
    page.click("[data-testid=intake] tr[data-unit='Phòng Kế hoạch – Tài chính'] a")
    form = "[data-testid=return-form]"
    page.locator(f"{form} select[name=fix_target]").first.select_option(index=1)
    page.locator(f"{form} select[name=fix_component]").first.select_option("report")
    page.locator(f"{form} input[name=fix_reason]").first.fill("Bổ sung số liệu sáng kiến.")
    page.locator(f"{form} input[name=fix_reason]").nth(1).fill("Thiếu chữ ký thư ký họp.")
    page.click(f"{form} button[type=submit]")
    assert "Đã trả lại hồ sơ" in page.inner_text("main")
    page.go_back()
    page.go_back()
    page.reload()

    # Accept the rest in one go
    boxes = page.locator("[data-testid=intake] input[name=dossier]")
    assert boxes.count() >= 1
    for i in range(boxes.count()):
        boxes.nth(i).check()
    click_through(page, "text=Tiếp nhận các hồ sơ đã chọn")
    assert "Đã tiếp nhận" in page.inner_text("main")
    assert page.locator("[data-testid=intake] input[name=dossier]").count() == 0

    # The consolidated list with the demo's duplicate and quota findings
    page.click("text=Danh sách tổng hợp")
    findings = page.inner_text("[data-testid=list-findings]")
    assert "vượt tỷ lệ 15%" in findings
    table = page.inner_text("[data-testid=consolidated]")
    assert "cũng được" in table and "trùng họ tên" in table
    shot(page, "consolidated")

    for testid, suffix in (("export-xlsx", ".xlsx"), ("export-pdf", ".pdf")):
        with page.expect_download() as info:
            page.click(f"[data-testid={testid}]")
        download = info.value
        assert download.suggested_filename.endswith(suffix)
        assert download.path().stat().st_size > 1000
    context.close()
