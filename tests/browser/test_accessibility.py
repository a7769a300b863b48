"""Every page each role can reach, at desktop and phone width, in a Chromium in English:
axe-core finds nothing serious or critical, dates read dd/mm/yyyy, files say "Chọn tệp",
no page is wider than the screen.

The pages are found as a person finds them: from the home page, following the links the
role is shown (one page per URL shape: /ho-so/11 stands for every dossier), downloads left
out. axe-core (tests/browser/vendor/axe.min.js, MPL-2.0) is evaluated in the page through
DevTools (an init script: each document gets it before its own scripts run), so the app's
CSP stays as it is served. Each page found at desktop width is checked there, then opened
and checked at phone width in a phone context (a phone's emulation: touch, mobile
viewport), signed in with the same session.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("pages")]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
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

# axe's default rules, less those that cannot find anything serious or critical: a rule with
# an impact gives it to each violation it finds (axe 4.14), so a minor or moderate rule never
# fails this test; left out, each page's run takes about 40 % less. No preload either: it
# serves css-orientation-lock (experimental, not run) and no-autoplay-audio (moderate).
RUN_AXE = """async () => {
  const rules = {};
  for (const rule of axe._audit.rules) {
    if (['minor', 'moderate'].includes(rule.impact)) rules[rule.id] = {enabled: false};
  }
  const r = await axe.run(document, {resultTypes: ['violations'], preload: false, rules});
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
  // Wide tables scroll in their own box (.table-responsive); the page itself never does
  // (the consolidated list's 41 page links made it 1,295 px wide on a phone).
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push('page wider than the screen: ' + root.scrollWidth + ' > ' + root.clientWidth);
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


# axe's serious and critical violations, then the page checks: one round trip.
CHECK = f"async () => [...await ({RUN_AXE})(), ...({PAGE_CHECKS})()]"


def _check(page, where: str) -> list[str]:
    return [f"{where}: {p}" for p in page.evaluate(CHECK)]


def _open(browser, name: str):
    """A page at the width `name` (a phone's emulation on the phone), axe-core loaded in
    each document."""
    width, height = VIEWPORTS[name]
    context = browser.new_context(
        locale="en-US",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": width, "height": height},
        is_mobile=width < 500,
        has_touch=width < 500,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.add_init_script(path=AXE)
    return context, page


def _crawl(page, phone, home, seen: set[str], username: str, problems: list[str]):
    """The role's pages reachable from home whose URL shape no earlier role reached, each
    checked while it is open at desktop width, then at phone width (the problems added to
    `problems`). `page` is at home, `home` its response (where the sign-in led)."""
    base = f"{urlsplit(home.url).scheme}://{urlsplit(home.url).netloc}"
    assert home.url == f"{base}/", home.url
    pages, queue = [], ["/"]
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        shape = _shape(urlsplit(path).path)
        if shape in seen and path != "/":
            continue
        seen.add(shape)
        try:
            response = home if path == "/" else page.goto(base + path)
        except PlaywrightError:  # a download the link pattern did not foresee
            continue
        if response is None or response.status != 200:
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        pages.append(path)
        problems += _check(page, f"{username} desktop {path}")
        queue += [p for p in _links(page, path) if _shape(urlsplit(p).path) not in seen]
        phone.goto(base + path)
        problems += _check(phone, f"{username} phone {path}")
    return pages


def test_every_page_of_every_role_at_both_widths(live_server, browser):
    """Each URL shape is checked once, as the first role (in ROLES' order) that reaches it:
    a page's markup is the same template whoever reads it, and the home page of each role
    (its to-do list and menu) is checked for every role."""
    base, _ = live_server
    problems: list[str] = []
    seen: set[str] = set()
    (desktop, page), (mobile, phone) = _open(browser, "desktop"), _open(browser, "phone")
    for username in ROLES:
        # Signed out (no cookie left), then in as the role; the phone in the same session.
        desktop.clear_cookies()
        mobile.clear_cookies()
        home = sign_in(page, base, username)
        mobile.add_cookies(desktop.cookies())
        pages = _crawl(page, phone, home, seen, username, problems)
        shot(page, f"a11y-{username}-desktop")
        shot(phone, f"a11y-{username}-phone")
        assert pages, username  # at least the role's home page
    desktop.close()
    mobile.close()
    assert len(seen) >= 30, sorted(seen)  # the crawl found the app's pages
    assert not problems, "\n".join(problems)
