"""Real headless Chromium (Debian's) driving the app on a real HTTP server."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from contextlib import closing

import pytest
from sqlalchemy import make_url
from werkzeug.serving import make_server

from dossier import create_app
from dossier.extensions import db
from tests.browser.pool import PooledBrowser
from tests.conftest import _app_config, drop_pg_database, pg_admin

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # A browser in English, as CI's is: dates must still read dd/mm/yyyy (issue 16).
    "--lang=en-US",
]
SHOTS = os.environ.get("SCREENSHOT_DIR")  # set it to keep screenshots for a human to look at


def _copy_demo(demo, tmp) -> str | None:
    """A copy of the demo database (and its stored files) for one module; its URL."""
    source_tmp, source_url, _ = demo
    if (source_tmp / "uploads").exists():
        shutil.copytree(source_tmp / "uploads", tmp / "uploads")
    if source_url:
        copy = make_url(source_url).set(database=make_url(source_url).database + "_live")
        template = make_url(source_url).database

        def create(conn):
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{copy.database}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{copy.database}" TEMPLATE "{template}"')

        pg_admin(create)
        return copy.render_as_string(hide_password=False)
    with (
        closing(sqlite3.connect(source_tmp / "test.db")) as src,
        closing(sqlite3.connect(tmp / "test.db")) as dst,
    ):
        src.backup(dst)
    return None  # _app_config's default: tmp / "test.db"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, demo_database):
    """The demo department served over HTTP on 127.0.0.1 (a secure context for cookies).

    Its requests commit for real, in a copy of the demo database of their own."""
    tmp = tmp_path_factory.mktemp("live")
    url = _copy_demo(demo_database, tmp)
    app = create_app(_app_config(tmp, url))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    server.server_close()
    thread.join(10)
    with app.app_context():
        db.engine.dispose()
    if url:
        drop_pg_database(url)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests; each test opens its own contexts (cookies,
    storage), wiped ones used again (tests/browser/pool.py).

    Closed after the last of them: Playwright's event loop runs while it is open, and
    asyncio.run() (pyHanko's signing) would refuse to run in the other tests."""
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is missing: run scripts/system-deps.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield PooledBrowser(browser)
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def sign_in(page, base: str, username: str, password: str = "demo1234"):
    """Signs in through the form; the response of the page it leads to (loaded)."""
    page.goto(f"{base}/dang-nhap")
    page.fill("#username", username)
    page.fill("#password", password)
    # The page the sign-in leads to, loaded (not "networkidle": that waits out 500 ms more).
    with page.expect_navigation(wait_until="load") as navigation:
        page.click("button[type=submit]")
    return navigation.value


def click_through(page, target) -> None:
    """Clicks what leads to another page and returns once that page has loaded.

    A bare click returns when the navigation has started; a read that does not wait for
    its element (all_inner_texts, count) could then see the old page or a new one still
    being parsed (CI once read an empty table that way).
    """
    with page.expect_navigation(wait_until="load"):
        if isinstance(target, str):
            page.click(target)
        else:
            target.click()


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
