"""Every demo role signs in through Chromium and sees its own home page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("flows")]

ROLES = {
    "quantri": ["Quản trị hệ thống", "Thông tin cơ quan"],
    "giamdoc": ["Giám đốc Sở (người ký)", "Chủ tịch Hội đồng"],
    "vanphong": ["Văn phòng Sở (Thường trực Hội đồng)", "Thư ký"],
    "truongphong.qlkh": ["Trưởng phòng / Thủ trưởng đơn vị", "Phòng Quản lý Khoa học"],
    "canbo.qlkh": ["Cán bộ lập hồ sơ của đơn vị"],
    "congdoan": ["Thành viên Hội đồng Thi đua - Khen thưởng"],
}


@pytest.mark.parametrize("username", ROLES)
def test_each_role_signs_in_and_sees_home(live_server, page, username):
    base, _ = live_server
    sign_in(page, base, username)
    body = page.inner_text("main")
    assert "Xin chào" in body
    for text in ROLES[username]:
        assert text in body, (username, text)
    # Bootstrap is served by the app itself, never a CDN.
    assert all(
        "cdn" not in s
        for s in page.eval_on_selector_all(
            "script[src], link[href]", "els => els.map(e => e.src || e.href)"
        )
    )
    admin_menu = page.locator("nav >> text=Quản trị").count()
    assert (admin_menu > 0) == (username == "quantri")
    shot(page, f"home-{username}")


def test_wrong_password_message_in_browser(live_server, page):
    base, _ = live_server
    sign_in(page, base, "vanphong", "sai-mat-khau")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.inner_text("main")
    shot(page, "login-failed")


def test_admin_staff_list_on_a_phone(live_server, browser):
    base, _ = live_server
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sign_in(page, base, "quantri")
    page.goto(f"{base}/quan-tri/can-bo")
    rows = page.locator("[data-testid=staff-table] tbody tr")
    assert rows.count() == 50  # paginated
    shot(page, "admin-staff-phone")
    context.close()
