"""Issue 16 (a), as the users live it, in a Chromium in English at 1366 × 900 and 390 × 844:
dates typed and shown dd/mm/yyyy with the Vietnamese calendar, impossible dates refused with
the reason, messages in view beside the section acted on, what was typed kept after a
refusal, buttons that show progress and cannot be sent twice, and the ballot on a phone."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import open_demo_vote, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("pages")]

VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
DDMMYYYY = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def _context(browser, size):
    width, height = VIEWPORTS[size]
    return browser.new_context(
        locale="en-US",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": width, "height": height},
        is_mobile=width < 500,
        has_touch=width < 500,
    )


def _in_view(page, selector: str) -> bool:
    """The element's box is inside the viewport (at least its first line)."""
    return page.locator(selector).first.evaluate(
        """el => { const r = el.getBoundingClientRect();
                   return r.height > 0 && r.top >= 0 && r.top < window.innerHeight; }"""
    )


def _draft(page, base) -> str:
    """The demo's draft dossier of Phòng Quản lý Công nghệ (its head is signed in)."""
    page.goto(f"{base}/ho-so/")
    page.click("[data-testid=my-dossiers] a:has([data-state=draft])")
    return page.url.split("#")[0]


@pytest.mark.parametrize("size", VIEWPORTS)
def test_dossier_forms_dates_messages_and_typed_values(live_server, browser, tmp_path, size):
    base, _ = live_server
    context = _context(browser, size)
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, "truongphong.qlcn")
    url = _draft(page, base)

    # Dates read dd/mm/yyyy in an English browser; no native date or file control.
    assert DDMMYYYY.match(page.input_value("#letter_date"))
    assert page.locator("input[type=date]").count() == 0
    assert page.locator("label.file-picker-button").first.inner_text() == "Chọn tệp"

    # The Vietnamese calendar: months and weekdays in Vietnamese, picks dd/mm/yyyy.
    page.click("#letter_date")
    picker = page.locator(".datepicker.active")
    assert re.search(r"Tháng \d+ \d{4}", picker.inner_text())
    assert "T2" in picker.inner_text() and "CN" in picker.inner_text()
    picker.locator(
        ".datepicker-cell.day:not(.prev):not(.next)", has_text=re.compile(r"^5$")
    ).click()
    value = page.input_value("#letter_date")
    assert DDMMYYYY.match(value) and value.startswith("05/"), value
    shot(page, f"ux-datepicker-{size}")

    # An impossible date: refused with the reason, beside the minutes, in view; typed kept.
    minutes = "[data-testid=minutes-form]"
    page.fill(f"{minutes} input[name=meeting_date]", "31/02/2026")
    page.fill(f"{minutes} input[name=chair]", "Nguyễn Văn Thắng (đã gõ)")
    page.click(f"{minutes} button[type=submit]")
    page.wait_for_load_state("load")
    message = "#bien-ban [data-testid=section-messages] .alert-danger"
    assert "không có ngày 31/02/2026" in page.inner_text(message)
    assert "tháng 2 năm 2026 chỉ có 28 ngày" in page.inner_text(message)
    assert _in_view(page, message)
    assert page.input_value(f"{minutes} input[name=meeting_date]") == "31/02/2026"
    assert page.input_value(f"{minutes} input[name=chair]") == "Nguyễn Văn Thắng (đã gõ)"
    shot(page, f"ux-minutes-bad-date-{size}")

    # More votes than people present: the refusal is in view, every typed value still there.
    page.fill(f"{minutes} input[name=meeting_date]", "27/11/2026")
    page.fill(f"{minutes} input[name=present]", "8")
    page.locator(f"{minutes} input[name^=for_]").first.fill("10")
    page.click(f"{minutes} button[type=submit]")
    page.wait_for_load_state("load")
    assert "vượt quá số người dự họp (8)" in page.inner_text(
        "#bien-ban [data-testid=section-messages]"
    )
    assert _in_view(page, message)
    assert page.locator(f"{minutes} input[name^=for_]").first.input_value() == "10"
    assert page.input_value(f"{minutes} input[name=chair]") == "Nguyễn Văn Thắng (đã gõ)"
    assert page.input_value(f"{minutes} input[name=meeting_date]") == "27/11/2026"
    shot(page, f"ux-minutes-too-many-{size}")

    # A success: the message beside the tờ trình, in view, the date shown dd/mm/yyyy.
    page.goto(url)
    page.fill("#letter_date", "05/12/2026")
    page.click("#to-trinh button[type=submit]")
    page.wait_for_load_state("load")
    assert "Đã lưu tờ trình." in page.inner_text("#to-trinh [data-testid=section-messages]")
    assert _in_view(page, "#to-trinh [data-testid=section-messages] .alert")
    assert page.input_value("#letter_date") == "05/12/2026"

    # An .exe named .pdf: refused beside the attachments, in view; the name was shown first.
    fake = tmp_path / "quyết định.pdf"
    fake.write_bytes(b"MZ\x90\x00\x03" + b"\x00" * 200)
    page.set_input_files("#upload-file", str(fake))
    assert page.inner_text("#upload-file-name") == "quyết định.pdf"
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_load_state("load")
    refusal = "#tep [data-testid=section-messages] .alert-danger"
    assert "chương trình chạy" in page.inner_text(refusal)
    assert _in_view(page, refusal)
    shot(page, f"ux-upload-refused-{size}")
    context.close()


def test_a_long_act_shows_progress_and_cannot_be_sent_twice(live_server, browser):
    base, _ = live_server
    context = _context(browser, "desktop")
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, "truongphong.qlcn")
    _draft(page, base)
    page.wait_for_load_state("load")
    # A listener after the app's (window, bubbling) counts what is sent and keeps the page
    # as the user sees it while the server works: the submission goes no further.
    page.evaluate(
        """() => { window.sent = 0; window.addEventListener('submit', e => {
                     window.sent += 1; e.preventDefault(); }); }"""
    )
    button = page.locator("#to-trinh button[type=submit]")
    button.click()
    page.wait_for_function("() => document.querySelector('#to-trinh button[type=submit]').disabled")
    assert button.inner_text() == "Đang xử lý…"
    # A second click on the disabled button, or a second submission, sends nothing.
    button.click(force=True)
    page.evaluate("() => document.querySelector('#to-trinh form').requestSubmit()")
    assert page.evaluate("window.sent") == 1

    # With data-confirm: "Cancel" leaves the button as it was; "OK" shows the progress.
    page.goto(page.url)
    page.evaluate("() => window.addEventListener('submit', e => e.preventDefault())")
    remove = page.locator("[data-testid=nominees] button[data-confirm]").first
    page.once("dialog", lambda dialog: dialog.dismiss())
    remove.click()
    assert remove.is_enabled() and remove.inner_text() == "Bỏ"
    page.once("dialog", lambda dialog: dialog.accept())
    remove.click()
    page.wait_for_function("() => document.querySelector('.is-busy') !== null")
    assert remove.inner_text() == "Đang xử lý…" and remove.is_disabled()
    context.close()


def test_ballot_on_a_phone_then_results_at_390(live_server, browser):
    base, _ = live_server
    open_demo_vote(browser, base)
    context = _context(browser, "phone")
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, "congdoan")
    page.click("[data-testid=tasks] >> text=Bỏ phiếu:")
    cards = page.locator("[data-ballot-item]")
    n = cards.count()
    assert n >= 2
    assert f"Còn {n} người chưa chọn" == page.inner_text("[data-testid=ballot-left]")
    # Large targets, one card per nominee, the submit bar in view before any scrolling.
    for box in (
        page.locator(".ballot-choice").first.bounding_box(),
        page.locator("[data-testid=ballot-all]").bounding_box(),
    ):
        assert box["height"] >= 44 and box["width"] >= 44
    assert _in_view(page, ".ballot-submit button[type=submit]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "ux-ballot-phone")

    # Everyone agreed, then one exception with its reason.
    page.click("[data-testid=ballot-all]")
    assert page.inner_text("[data-testid=ballot-left]") == "Đã chọn đủ, có thể gửi phiếu"
    exception = cards.nth(1)
    exception.locator("label.ballot-recuse").click()
    reason = exception.locator("input[name^=reason_]")
    assert reason.is_visible()
    reason.fill("Cùng đơn vị")
    assert exception.locator("input[value=recuse]").is_checked()
    assert cards.nth(0).locator("input[value=agree]").is_checked()
    shot(page, "ux-ballot-phone-chosen")
    page.click(".ballot-submit button[type=submit]")
    page.wait_for_load_state("load")
    assert "Đã ghi nhận phiếu kín" in page.inner_text("main")
    assert _in_view(page, ".alert-success")
    context.close()

    # The chair closes; the results read on a phone without anything cut off at the right.
    chair_ctx = _context(browser, "phone")
    chair = chair_ctx.new_page()
    chair.set_default_timeout(15000)
    sign_in(chair, base, "giamdoc")
    chair.goto(f"{base}/hoi-dong/")
    chair.click("[data-testid=meetings] a")
    chair.once("dialog", lambda dialog: dialog.accept())
    chair.click("text=Đóng biểu quyết")
    chair.wait_for_load_state("load")
    assert chair.locator("[data-testid=results]").is_visible()
    assert chair.evaluate("document.documentElement.scrollWidth") <= 390
    right = chair.evaluate(
        """() => Math.max(...[...document.querySelectorAll('[data-testid=results] td')]
                 .map(td => td.getBoundingClientRect().right))"""
    )
    assert right <= 390
    # One card per nominee, each value with its column's name beside it.
    labels = chair.evaluate(
        """() => [...document.querySelectorAll('[data-testid=results] tr:first-child td')]
                 .map(td => getComputedStyle(td, '::before').content)"""
    )
    # One ballot is below the council's minimum (3): its counts are withheld, labelled too.
    assert '"Kết quả"' in labels, labels
    assert '"Đồng ý"' in labels or '"Hợp lệ, đồng ý"' in labels, labels
    shot(chair, "ux-results-phone")
    chair_ctx.close()
