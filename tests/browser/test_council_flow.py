"""Issue 6's story in Chromium: the chair opens the vote on the demo's list, three members
vote in secret, the Thư ký enters one paper tally, the chair closes, the minutes download."""

from __future__ import annotations

import pytest

from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("flows")]


def _meeting_url(page, base):
    page.goto(f"{base}/hoi-dong/")
    page.click("[data-testid=meetings] a")
    return page.url


def test_council_meeting(live_server, browser):
    base, _ = live_server
    ctx = browser.new_context(locale="vi-VN", accept_downloads=True)
    chair = ctx.new_page()
    chair.set_default_timeout(15000)
    sign_in(chair, base, "giamdoc")
    url = _meeting_url(chair, base)
    assert "đủ 2/3 theo quy định" in chair.inner_text("[data-testid=quorum]")
    chair.click("text=Mở biểu quyết")
    assert "Đang biểu quyết" in chair.inner_text("[data-testid=meeting-state]")

    # The Thư ký counts the first nominee on paper, before anyone votes on it electronically
    sec_ctx = browser.new_context(locale="vi-VN")
    sec = sec_ctx.new_page()
    sign_in(sec, base, "vanphong")
    sec.goto(url)
    form = "[data-testid=paper-form]"
    for name, value in (("issued", "11"), ("returned", "11"), ("valid", "11"), ("agree", "12")):
        sec.fill(f"{form} input[name={name}]", value)
    sec.click(f"{form} button[type=submit]")
    assert "không hợp lý" in sec.inner_text("main")  # 12 agree of 11 valid is refused
    for name, value in (("issued", "11"), ("returned", "11"), ("valid", "11"), ("agree", "10")):
        sec.fill(f"{form} input[name={name}]", value)
    sec.click(f"{form} button[type=submit]")
    assert "Đã nhập kết quả kiểm phiếu giấy." in sec.inner_text("main")

    # Three members vote in secret: the chair, a unit head, the trade-union chair
    for username in ("giamdoc", "truongphong.qlkh", "congdoan"):
        member_ctx = browser.new_context(locale="vi-VN")
        page = member_ctx.new_page()
        sign_in(page, base, username)
        page.goto(url)
        radios = page.locator("[data-testid=ballot] input[value=agree]")
        assert radios.count() >= 1
        for i in range(radios.count()):
            radios.nth(i).check()
        page.click("text=Gửi phiếu kín")
        assert "Đã ghi nhận phiếu kín" in page.inner_text("main")
        assert "đã bỏ phiếu cho tất cả" in page.inner_text("[data-testid=ballot]")
        shot(page, f"council-voted-{username}")
        member_ctx.close()

    # Sealed: the office sees how many voted, not how
    sec.goto(url)
    assert "đã có 3 thành viên bỏ phiếu" in sec.inner_text("[data-testid=progress]")
    shot(sec, "council-progress-office")

    chair.goto(url)
    chair.once("dialog", lambda dialog: dialog.accept())  # "Đóng biểu quyết và công bố…?"
    chair.click("text=Đóng biểu quyết")
    assert "Đã đóng biểu quyết" in chair.inner_text("[data-testid=meeting-state]")
    results = chair.inner_text("[data-testid=results]")
    assert "(phiếu giấy)" in results and "Đạt" in results
    shot(chair, "council-results")
    with chair.expect_download() as info:
        chair.click("[data-testid=minutes-pdf]")
    assert info.value.suggested_filename.endswith(".pdf")
    assert info.value.path().stat().st_size > 2000
    sec_ctx.close()
    ctx.close()
