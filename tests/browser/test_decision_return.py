"""In Chromium: the Director returns the demo's draft decision to the Văn phòng with the
reason (one row of workflows/decision.py), the Văn phòng edits it and sends it for signing
again, and the Director has it to sign once more."""

from __future__ import annotations

import pytest

from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("flows")]

REASON = "Trích yếu chưa nêu đợt thi đua; đề nghị Văn phòng sửa lại."


def test_director_returns_a_draft_and_the_office_sends_it_again(live_server, browser):
    base, _ = live_server
    ctx = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    director = ctx.new_page()
    director.set_default_timeout(20000)
    sign_in(director, base, "giamdoc")
    director.click("[data-testid=tasks] >> text=Ký quyết định")
    url = director.url
    assert "Dự thảo" in director.inner_text("[data-testid=decision-state]")
    form = "[data-testid=act-return_to_office]"
    director.fill(f"{form} input[name=comment]", REASON)
    director.click(f"{form} button[type=submit]")
    assert "Đã hoàn trả dự thảo cho Văn phòng Sở." in director.inner_text("main")
    assert director.inner_text("[data-testid=decision-state]") == "Hoàn trả Văn phòng"
    timeline = director.inner_text("[data-testid=timeline]")
    assert "hoàn trả Văn phòng" in timeline and REASON in timeline
    assert director.locator("[data-testid=act-sign]").count() == 0  # nothing to sign now
    shot(director, "decision-returned")

    office_ctx = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    office = office_ctx.new_page()
    office.set_default_timeout(20000)
    sign_in(office, base, "vanphong")
    office.goto(url)
    assert office.inner_text("[data-testid=decision-state]") == "Hoàn trả Văn phòng"
    subject = office.locator("#subject")
    subject.fill(subject.input_value() + " (sửa theo ý kiến Giám đốc)")
    office.click("[data-testid=decision-form] button[type=submit]")
    assert "Đã lưu dự thảo." in office.inner_text("main")
    office.click("[data-testid=act-send_for_signing] button[type=submit]")
    assert "Đã gửi thư trình ký" in office.inner_text("main")
    assert office.inner_text("[data-testid=decision-state]") == "Dự thảo"
    office_ctx.close()

    director.goto(f"{base}/")
    director.click("[data-testid=tasks] >> text=Ký quyết định")
    assert director.url == url
    assert "(sửa theo ý kiến Giám đốc)" in director.inner_text("h1 + div")
    assert director.locator("[data-testid=act-sign]").count() == 1
    ctx.close()
