"""Chromium: the demo has no mail server; the administrator finds its outbox under Quản trị,
sees why nothing went out, and sends a failed message again."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from dossier.extensions import db
from dossier.notify.models import Message
from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("flows")]


def test_admin_finds_the_outbox_and_retries_a_failed_message(live_server, page):
    base, app = live_server
    with app.app_context():
        queued = db.session.scalar(select(func.count()).select_from(Message))
        first = db.session.scalar(select(Message.id).order_by(Message.id))
        db.session.execute(
            update(Message)
            .where(Message.id == first)
            .values(status="failed", attempts=5, last_error="Connection refused")
        )
        db.session.commit()
        db.session.remove()
    assert queued > 0, "the demo queues mail"
    sign_in(page, base, "quantri")
    page.click("nav >> text=Quản trị")
    page.click("nav >> text=Hộp thư đi")
    banner = page.locator("[data-testid=outbox-unconfigured]")
    assert "Chưa cấu hình máy chủ thư: thư được giữ trong hộp thư đi" in banner.inner_text()
    assert page.locator("[data-testid=count-failed]").inner_text() == "1"
    shot(page, "outbox")
    with page.expect_navigation(wait_until="load"):
        page.locator(f"[data-testid=outbox-row-{first}] >> text=Gửi lại").click()
    assert "Đã đưa thư số" in page.inner_text("body")
    assert page.locator("[data-testid=count-failed]").inner_text() == "0"
    assert page.locator(f"[data-testid=outbox-row-{first}]").inner_text().count("Chờ gửi") == 1
