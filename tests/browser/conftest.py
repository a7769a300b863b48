"""Real headless Chromium (Debian's) driving the app on a real HTTP server."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from dossier import create_app
from dossier.demo import load_demo
from dossier.extensions import db
from tests.conftest import _app_config, reset_database

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = os.environ.get("SCREENSHOT_DIR")  # set it to keep screenshots for a human to look at


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The demo department served over HTTP on 127.0.0.1 (a secure context for cookies)."""
    tmp = tmp_path_factory.mktemp("live")
    app = create_app(_app_config(tmp))
    with app.app_context():
        reset_database()
        load_demo()
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is missing: run scripts/system-deps.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def sign_in(page, base: str, username: str, password: str = "demo1234") -> None:
    page.goto(f"{base}/dang-nhap")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def shot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def open_demo_vote(browser, base: str) -> None:
    """The chair (giamdoc) opens the demo meeting's vote from their to-do list."""
    context = browser.new_context(locale="vi-VN")
    chair = context.new_page()
    sign_in(chair, base, "giamdoc")
    chair.click("[data-testid=tasks] >> text=Mở biểu quyết")
    chair.click("text=Mở biểu quyết")
    assert "Đang biểu quyết" in chair.inner_text("[data-testid=meeting-state]")
    context.close()
