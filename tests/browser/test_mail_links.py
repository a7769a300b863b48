"""Acting from e-mail in Chromium: a council member votes and the Director signs from the
links in their messages, without signing in; a GET shows, only the confirmation acts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from dossier.extensions import db
from dossier.notify.models import Message
from dossier.org.models import User
from tests.browser.conftest import open_demo_vote, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("flows")]
LINK = re.compile(r"(/thu/[A-Za-z0-9_-]{20,})")


def _link(app, username: str, event: str) -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        body = db.session.scalar(
            select(Message.body_text)
            .where(Message.to_user_id == user.id, Message.event == event)
            .order_by(Message.id.desc())
        )
        db.session.remove()
    return LINK.search(body).group(1)


def test_member_votes_from_the_mail(live_server, browser):
    base, app = live_server
    open_demo_vote(browser, base)

    url = _link(app, "congdoan", "vote_opened")
    ctx = browser.new_context(locale="vi-VN")  # a phone that never signed in
    page = ctx.new_page()
    page.goto(f"{base}{url}")
    assert "Bỏ phiếu kín" in page.inner_text("h1")
    rows = page.locator("[data-testid=mail-ballot] [data-nominee]")
    assert rows.count() >= 1
    for i in range(rows.count()):
        radio = rows.nth(i).locator("input[value=agree]")
        if radio.count():
            radio.check()
    shot(page, "mail-ballot")
    page.click("text=Xác nhận và gửi phiếu kín")
    assert "Đã ghi nhận phiếu kín" in page.inner_text("[data-testid=link-done]")
    page.goto(f"{base}{url}")
    assert "chỉ dùng một lần" in page.inner_text("[data-testid=dead-link]")
    ctx.close()


def test_director_signs_from_the_mail(live_server, browser):
    base, app = live_server
    url = _link(app, "giamdoc", "decision_drafted")
    ctx = browser.new_context(locale="vi-VN")
    page = ctx.new_page()
    page.goto(f"{base}{url}")
    assert "Ký quyết định" in page.inner_text("h1")
    assert page.locator("[data-testid=mail-awards] li").count() >= 1
    shot(page, "mail-sign")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Xác nhận ký")
    assert "Đã ký quyết định; Văn thư sẽ cấp số" in page.inner_text("[data-testid=link-done]")
    ctx.close()
    # the Director, signed in, finds it signed (the Văn thư numbers and issues it)
    director = browser.new_context(locale="vi-VN").new_page()
    sign_in(director, base, "giamdoc")
    assert "Ký quyết định" not in director.inner_text("main")
