"""Signing out everywhere in Chromium: a copy of the session taken before is refused."""

from __future__ import annotations

import pytest

from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("flows")]


def test_sign_out_everywhere_refuses_a_copied_session(live_server, browser, page):
    base, _ = live_server
    sign_in(page, base, "congdoan")
    assert "Xin chào" in page.inner_text("main")
    saved = page.context.cookies()  # what a thief (or a forgotten browser) keeps
    thief = browser.new_context(locale="vi-VN")
    thief.add_cookies(saved)
    stolen = thief.new_page()
    stolen.goto(f"{base}/")
    assert "Xin chào" in stolen.inner_text("main")  # the copy works while the session lives

    page.click("[data-testid=user-menu]")
    page.click("text=Đổi mật khẩu")
    # The copy is the same session, not a second one.
    assert "đăng nhập ở 1 nơi" in page.inner_text("[data-testid=sessions]")
    shot(page, "sessions-password-page")
    page.click("button:has-text('Đăng xuất khỏi mọi thiết bị')")
    page.wait_for_url("**/dang-nhap**")
    assert "/dang-nhap" in page.url
    assert "Đã đăng xuất khỏi mọi thiết bị" in page.inner_text("main")

    stolen.goto(f"{base}/")
    assert "/dang-nhap" in stolen.url
    assert "Vui lòng đăng nhập" in stolen.inner_text("main")
    thief.close()
