"""Issue 8's substitution and vote tasks in Chromium.

- The Phó Chánh Văn phòng, standing in for the Chánh Văn phòng (demo), accepts a dossier;
  its timeline names both people.
- The Director names the Phó Giám đốc for today (a bad period first: refused in
  Vietnamese, nothing saved); the deputy sees the signing task labelled, issues the
  decision as "KT. GIÁM ĐỐC", and the timeline shows on whose behalf.
- The chair opens the vote: a member's to-do list shows the vote; after voting it is gone.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from dossier.timeutil import local_now
from tests.browser.conftest import click_through, open_demo_vote, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("flows")]


def _tasks(page) -> list[str]:
    return page.locator("[data-testid=tasks] h3").all_inner_texts()


def test_deputy_chief_of_office_accepts_on_behalf(live_server, page):
    base, _ = live_server
    sign_in(page, base, "phochanhvanphong")
    assert "làm thay Chánh Văn phòng" in page.inner_text("[data-testid=standing-in]")
    labels = page.locator("[data-testid=on-behalf]").all_inner_texts()
    assert labels and all(x.startswith("Làm thay Chánh Văn phòng ") for x in labels)
    shot(page, "substitute-home")
    page.click("[data-testid=tasks] >> text=Kiểm tra hồ sơ đã nộp")
    page.locator("[data-testid=intake] tr[data-unit='Phòng Kế hoạch – Tài chính'] a").click()
    page.click("button.btn-success:text-is('Tiếp nhận')")
    assert "Đã tiếp nhận hồ sơ." in page.inner_text("main")
    timeline = page.inner_text("[data-testid=timeline]")
    assert "Phó Chánh Văn phòng, thay Chánh Văn phòng " in timeline
    shot(page, "substitute-timeline")


def test_director_names_deputy_who_signs_on_behalf(live_server, browser):
    base, _ = live_server
    ctx = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    director = ctx.new_page()
    director.set_default_timeout(20000)
    sign_in(director, base, "giamdoc")
    director.click("[data-testid=user-menu]")
    director.click("text=Người làm thay")
    today = local_now().date()
    form = "[data-testid=delegation-form]"
    director.select_option(
        f"{form} select[name=substitute_id]",
        label=director.locator(f"{form} option", has_text="Phó Giám đốc").first.inner_text(),
    )
    director.fill(f"{form} input[name=starts_on]", (today + timedelta(days=2)).strftime("%d/%m/%Y"))
    director.fill(f"{form} input[name=ends_on]", today.strftime("%d/%m/%Y"))
    director.fill(f"{form} input[name=reason]", "Đi công tác Hà Nội")
    click_through(director, f"{form} button[type=submit]")
    assert "phải từ ngày bắt đầu" in director.inner_text("main")
    assert director.locator("[data-testid=given] tbody tr").count() == 1  # the demo's plan
    director.fill(f"{form} input[name=starts_on]", today.strftime("%d/%m/%Y"))
    director.fill(f"{form} input[name=ends_on]", (today + timedelta(days=1)).strftime("%d/%m/%Y"))
    director.click(f"{form} button[type=submit]")
    assert "Đã giao việc làm thay" in director.inner_text("main")
    assert "Đang làm thay" in director.inner_text("[data-testid=given]")
    shot(director, "delegation-page")

    deputy_ctx = browser.new_context(locale="vi-VN")
    deputy = deputy_ctx.new_page()
    deputy.set_default_timeout(20000)
    sign_in(deputy, base, "phogiamdoc")
    assert "Ký quyết định" in _tasks(deputy)
    assert "Làm thay Giám đốc " in deputy.inner_text("[data-testid=tasks]")
    deputy.click("[data-testid=tasks] >> text=Ký quyết định")
    deputy.once("dialog", lambda dialog: dialog.accept())
    deputy.click("[data-testid=act-sign] button")
    assert "Đã ký, chờ cấp số" in deputy.inner_text("[data-testid=decision-state]")
    body = deputy.inner_text("main")
    assert "ký thay Giám đốc" in body
    shot(deputy, "deputy-signed")
    deputy_ctx.close()
    ctx.close()


def test_open_vote_appears_in_members_tasks_until_voted(live_server, browser):
    base, _ = live_server
    open_demo_vote(browser, base)

    member_ctx = browser.new_context(locale="vi-VN")
    member = member_ctx.new_page()
    sign_in(member, base, "congdoan")
    vote_tasks = [t for t in _tasks(member) if t.startswith("Bỏ phiếu:")]
    assert len(vote_tasks) == 1
    assert member.inner_text("[data-testid=task-count]") == "1"
    shot(member, "member-vote-task")
    member.click("[data-testid=tasks] >> text=Bỏ phiếu:")
    radios = member.locator("[data-testid=ballot] input[value=agree]")
    for i in range(radios.count()):
        radios.nth(i).check()
    member.click("text=Gửi phiếu kín")
    assert "Đã ghi nhận phiếu kín" in member.inner_text("main")
    member.goto(f"{base}/")
    assert not [t for t in _tasks(member) if t.startswith("Bỏ phiếu:")]
    assert member.locator("[data-testid=task-count]").count() == 0
    # the absent member (chidoan) has no vote task: their written view goes via the Thư ký
    member_ctx.close()
    absent_ctx = browser.new_context(locale="vi-VN")
    absent = absent_ctx.new_page()
    sign_in(absent, base, "chidoan")
    assert not [t for t in _tasks(absent) if t.startswith("Bỏ phiếu:")]
    absent_ctx.close()
