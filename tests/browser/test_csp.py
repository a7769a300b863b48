"""Issue 12 in Chromium: the pages work under the CSP and a hostile name stays a name.

A unit head adds a nominee named B'+alert(1)+' (the name that ran script through the old
inline onclick): "Bỏ" asks with the name in the question, "Hủy" keeps the nominee, "OK"
removes it, and no alert ever fires. Every page visited is watched for CSP violations in
the console and for script errors.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from dossier.extensions import db
from dossier.org.models import Unit
from tests.browser.conftest import shot, sign_in
from tests.hostile import NAME, PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("pages")]


class Watch:
    """What the browser said: dialogs (answered as told), console lines, script errors."""

    def __init__(self, page):
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.answer = False
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.console.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.accept() if self.answer else dialog.dismiss()

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m]

    def assert_clean(self):
        assert not self.csp_violations(), self.csp_violations()
        assert not self.errors, self.errors
        assert "1" not in self.dialogs, self.dialogs  # alert(1) never ran


def _names(page) -> list[str]:
    return page.locator("[data-testid=nominees] tbody tr td:nth-child(2)").all_inner_texts()


def _new_dossier(page, base):
    page.goto(f"{base}/dot-thi-dua/")
    page.click("text=Khen thưởng công tác năm")
    page.locator("tr", has_text="Phòng Quản lý Khoa học").locator(
        "button", has_text="Lập hồ sơ"
    ).click()
    assert "Nháp" in page.inner_text("h1")
    form = "[data-testid=nominee-form]"
    for name in (NAME, PAYLOADS[2]):
        page.fill(f"{form} input[name=name]", name)
        page.locator(f"{form} select[name=award_form_id]").select_option(label="Lao động tiên tiến")
        page.click(f"{form} button[type=submit]")
        assert "Đã thêm vào danh sách đề nghị." in page.inner_text("main")


def test_remove_and_withdraw_confirm_with_the_name_under_the_csp(live_server, page):
    base, _ = live_server
    watch = Watch(page)
    sign_in(page, base, "truongphong.qlkh")
    _new_dossier(page, base)
    assert any(NAME in n for n in _names(page)) and any(PAYLOADS[2] in n for n in _names(page))
    assert page.locator("img[src=x]").count() == 0
    row = page.locator("[data-testid=nominees] tbody tr", has_text=NAME)
    shot(page, "csp-dossier-hostile-name")

    # Cancel: the question names the nominee, nothing is sent, nothing changes.
    row.locator("button", has_text="Bỏ").click()
    assert watch.dialogs == [f"Bỏ {NAME} khỏi danh sách?"]
    page.wait_for_timeout(300)
    assert any(NAME in n for n in _names(page)) and len(_names(page)) == 2
    assert "Đã bỏ khỏi danh sách." not in page.inner_text("main")

    # OK: removed.
    watch.answer = True
    with page.expect_navigation(wait_until="load"):
        row.locator("button", has_text="Bỏ").click()
    assert "Đã bỏ khỏi danh sách." in page.inner_text("main")
    assert not any(NAME in n for n in _names(page)) and len(_names(page)) == 1
    assert watch.dialogs == [f"Bỏ {NAME} khỏi danh sách?"] * 2

    # Withdrawing asks too; "Hủy" keeps the draft.
    watch.answer = False
    acts = page.locator("[data-testid=acts]")
    acts.locator("input[name=comment]").fill(PAYLOADS[1])
    acts.locator("button", has_text="Rút hồ sơ").click()
    assert watch.dialogs[-1] == "Rút hồ sơ này? Hồ sơ đã rút không nộp lại được."
    page.wait_for_timeout(300)
    assert "Nháp" in page.inner_text("h1")
    watch.answer = True
    with page.expect_navigation(wait_until="load"):
        acts.locator("button", has_text="Rút hồ sơ").click()
    assert "Đã rút" in page.inner_text("h1")
    assert PAYLOADS[1] in page.inner_text("main")  # the reason, on the timeline, as text
    watch.assert_clean()


def test_history_year_select_submits_itself(live_server, page):
    base, app = live_server
    with app.app_context():
        unit_id = db.session.scalar(select(Unit.id).where(Unit.code == "QLKH"))
    watch = Watch(page)
    sign_in(page, base, "truongphong.qlkh")
    page.goto(f"{base}/lich-su/don-vi/{unit_id}")
    years = [v for v in page.locator("#nam option").evaluate_all("os => os.map(o => o.value)")]
    target = next(y for y in years if y and f"nam={y}" not in page.url)
    page.select_option("#nam", target)  # no click on "Xem": the change submits the form
    page.wait_for_url(re.compile(rf"nam={target}"))
    assert page.locator("[data-testid=year]").evaluate_all("ss => ss.map(s => s.dataset.year)") == [
        target
    ]
    watch.assert_clean()


PAGES = {
    "giamdoc": ["/", "/hoi-dong/", "/quyet-dinh/", "/dot-thi-dua/quy-trinh"],
    "vanphong": ["/tiep-nhan/1", "/lich-su/", "/ho-so/"],
    "quantri": ["/quan-tri/co-quan", "/quan-tri/can-bo", "/quan-tri/nhat-ky"],
}


@pytest.mark.parametrize("username", PAGES)
def test_council_decision_and_other_pages_have_no_csp_violation(live_server, page, username):
    """Each list page, then the first council meeting and decision it links to."""
    base, _ = live_server
    watch = Watch(page)
    sign_in(page, base, username)
    # page.goto returns at the "load" event: every script, style and image of the page has
    # run or been refused by then, and app.js sends no request after it (no fetch, no XHR),
    # so "networkidle" (500 ms more per page) would see nothing more.
    for path in PAGES[username]:
        page.goto(f"{base}{path}")
        for pattern in (r"/hoi-dong/\d+$", r"/quyet-dinh/\d+$"):
            links = page.locator("main a").evaluate_all("as => as.map(a => a.href)")
            detail = next((h for h in links if re.search(pattern, h)), None)
            if detail:
                page.goto(detail)
                assert page.locator("h1").count() == 1
                page.go_back()
    # Bootstrap's own script works under the CSP: the user menu opens.
    page.click("[data-testid=user-menu]")
    assert page.locator(".dropdown-menu-end").is_visible()
    watch.assert_clean()


def test_council_page_and_decision_page_are_reached(live_server, page):
    """The parametrized test above must really see a meeting and a decision."""
    base, _ = live_server
    sign_in(page, base, "giamdoc")
    seen = []
    for path, pattern in (("/hoi-dong/", r"/hoi-dong/\d+$"), ("/quyet-dinh/", r"/quyet-dinh/\d+$")):
        page.goto(f"{base}{path}")
        links = page.locator("main a").evaluate_all("as => as.map(a => a.href)")
        seen.append(next((h for h in links if re.search(pattern, h)), None))
    assert all(seen), seen


def test_the_csp_blocks_markup_that_slipped_past_escaping(live_server, page):
    """If a name ever reached the page as markup, the browser would still refuse to run it;
    and the console reports the refusal (so the checks above can see a violation)."""
    base, _ = live_server
    watch = Watch(page)
    sign_in(page, base, "truongphong.qlkh")
    # Until the image has failed and its handler was refused (then alert(1) can no longer run).
    with page.expect_console_message(
        lambda m: "Content Security Policy" in m.text and "inline event handler" in m.text
    ):
        page.evaluate(
            """html => { const d = document.createElement('div'); d.innerHTML = html;
                         document.querySelector('main').appendChild(d); }""",
            '<img src="/khong-co.png" onerror="alert(1)"><a href="#" style="color:red">x</a>',
        )
    assert watch.dialogs == []
    assert watch.csp_violations(), watch.console


def test_inline_pdf_opens_under_the_csp(live_server, page):
    """Chrome's PDF viewer is an <embed> under the response's CSP (object-src 'none')."""
    base, _ = live_server
    watch = Watch(page)
    sign_in(page, base, "chanhthanhtra")
    page.goto(f"{base}/ho-so/")
    link = next(
        h
        for h in page.locator("main a").evaluate_all("as => as.map(a => a.href)")
        if re.search(r"/ho-so/\d+$", h)
    )
    # What the server sends (the browser shows its PDF viewer's own headers instead).
    sent = page.request.get(f"{link}/to-trinh.pdf").headers
    assert sent["content-type"] == "application/pdf"
    assert "object-src 'none'" in sent["content-security-policy"]
    page.goto(f"{link}/to-trinh.pdf")
    # The viewer's frame appears once the <embed> was allowed to load (up to 10 s).
    for _ in range(100):
        if any(f.url.startswith("chrome-extension://") for f in page.frames):
            break
        page.wait_for_timeout(100)
    assert any(f.url.startswith("chrome-extension://") for f in page.frames), [
        f.url for f in page.frames
    ]
    watch.assert_clean()
