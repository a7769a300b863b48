"""Issue 7's story in Chromium: the Director issues the demo's draft decision and downloads
its PDF and DOCX; the PDF reads back as a numbered Vietnamese decision."""

from __future__ import annotations

import subprocess
import unicodedata

import pytest

from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser


def test_director_issues_and_downloads(live_server, browser, tmp_path):
    base, _ = live_server
    ctx = browser.new_context(locale="vi-VN", accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(20000)
    sign_in(page, base, "giamdoc")
    page.click("[data-testid=tasks] >> text=Ký, ban hành quyết định")
    assert "Dự thảo" in page.inner_text("[data-testid=decision-state]")
    names = page.locator("[data-testid=awards] tbody tr td:nth-child(2)").all_inner_texts()
    assert names
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Ký, ban hành")
    assert "Đã ban hành" in page.inner_text("[data-testid=decision-state]")
    heading = page.inner_text("h1")
    assert "Quyết định số 02/QĐ-SKHCN" in heading  # the demo issued 01 this year already
    shot(page, "decision-issued")

    with page.expect_download() as info:
        page.click("[data-testid=decision-pdf]")
    pdf = tmp_path / "qd.pdf"
    info.value.save_as(pdf)
    text = unicodedata.normalize(
        "NFC",
        subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
        ).stdout,
    )
    assert "Số: 02/QĐ-SKHCN" in text and "QUYẾT ĐỊNH:" in text and "Điều 1." in text
    assert "GIÁM ĐỐC" in text and "Nơi nhận:" in text
    for name in names:
        assert name in text, name
    with page.expect_download() as info:
        page.click("[data-testid=decision-docx]")
    docx = tmp_path / "qd.docx"
    info.value.save_as(docx)
    from docx import Document

    body = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    tables = "\n".join(c.text for t in Document(str(docx)).tables for r in t.rows for c in r.cells)
    assert "QUYẾT ĐỊNH" in body + tables and all(n in tables for n in names)
    ctx.close()
