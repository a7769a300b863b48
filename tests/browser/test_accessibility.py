"""Every page each role can reach, at desktop and phone width, in a Chromium in English:
axe-core finds nothing serious or critical, dates read dd/mm/yyyy, files say "Chọn tệp".

The pages are found as a person finds them: from the home page, following the links the
role is shown (one page per URL shape: /ho-so/11 stands for every dossier), downloads left
out. axe-core (tests/browser/vendor/axe.min.js, MPL-2.0) is evaluated in the page through
DevTools, so the app's CSP stays as it is served.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("pages")]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
ROLES = [
    "quantri",
    "giamdoc",
    "vanphong",
    "chanhvanphong",
    "truongphong.qlkh",
    "canbo.qlkh",
    "congdoan",
]
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
MAX_PAGES = 60
# Downloads and acts: not pages to look at.
NOT_A_PAGE = re.compile(
    r"[./](pdf|xlsx|docx|zip|png|svg|csv|json|to-trinh)$|/dang-xuat|/tep/|/mau-|/xuat|/tai-"
)

RUN_AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): '
      + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""

PAGE_CHECKS = """() => {
  const problems = [];
  const native = 'input[type=date], input[type=datetime-local], input[type=month]';
  for (const el of document.querySelectorAll(native)) {
    problems.push('browser date input: ' + el.name);
  }
  for (const el of document.querySelectorAll('input[data-datepicker]')) {
    if (!/^(\\d{2}\\/\\d{2}\\/\\d{4})?$/.test(el.value)) {
      problems.push('date not dd/mm/yyyy: ' + el.name + '=' + el.value);
    }
  }
  for (const el of document.querySelectorAll('input[type=file]')) {
    const button = el.parentElement && el.parentElement.querySelector('.file-picker-button');
    if (!button || button.textContent.trim() !== 'Chọn tệp') {
      problems.push('file input not labelled Chọn tệp: ' + el.name);
    }
  }
  return problems;
}"""


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _links(page, here: str) -> list[str]:
    found = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        if not href or href.startswith(("#", "mailto:", "http:", "https:", "javascript:")):
            continue
        url = urlsplit(urljoin(here, href))
        if NOT_A_PAGE.search(url.path):
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def _check(page, where: str) -> list[str]:
    page.evaluate(AXE)
    problems = [f"{where}: {p}" for p in page.evaluate(RUN_AXE)]
    problems += [f"{where}: {p}" for p in page.evaluate(PAGE_CHECKS)]
    return problems


def _crawl(page, base: str, seen: set[str], where: str, problems: list[str]) -> list[str]:
    """The role's pages reachable from home whose URL shape no earlier role reached, each
    checked while it is open (its problems added to `problems`)."""
    pages, queue = [], ["/"]
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        shape = _shape(urlsplit(path).path)
        if shape in seen and path != "/":
            continue
        seen.add(shape)
        try:
            response = page.goto(base + path)
        except PlaywrightError:  # a download the link pattern did not foresee
            continue
        if response is None or response.status != 200:
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        pages.append(path)
        problems += _check(page, f"{where} {path}")
        queue += [p for p in _links(page, path) if _shape(urlsplit(p).path) not in seen]
    return pages


def test_every_page_of_every_role_at_both_widths(live_server, browser):
    """Each URL shape is checked once, as the first role (in ROLES' order) that reaches it:
    a page's markup is the same template whoever reads it, and the home page of each role
    (its to-do list and menu) is checked for every role."""
    base, _ = live_server
    problems: list[str] = []
    seen: set[str] = set()
    for username in ROLES:
        pages: list[str] = []
        for name, (width, height) in VIEWPORTS.items():
            context = browser.new_context(
                locale="en-US",
                timezone_id="Asia/Ho_Chi_Minh",
                viewport={"width": width, "height": height},
                is_mobile=width < 500,
                has_touch=width < 500,
            )
            page = context.new_page()
            page.set_default_timeout(15000)
            sign_in(page, base, username)
            where = f"{username} {name}"
            if not pages:  # found and checked at desktop width, visited again on the phone
                pages = _crawl(page, base, seen, where, problems)
            else:
                for path in pages:
                    page.goto(base + path)
                    problems += _check(page, f"{where} {path}")
            shot(page, f"a11y-{username}-{name}")
            context.close()
        assert pages, username  # at least the role's home page
    assert len(seen) >= 30, sorted(seen)  # the crawl found the app's pages
    assert not problems, "\n".join(problems)
