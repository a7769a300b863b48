"""Issue 7's story in Chromium, with issue 15's register: the Director signs the demo's
draft decision, the Văn thư gives it the register's next number (249/QĐ-SKHCN after the
archive's 248) and issues it; the PDF reads back as a numbered Vietnamese decision."""

from __future__ import annotations

import subprocess
import unicodedata

import pytest

from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("flows")]


def test_director_signs_van_thu_issues_and_downloads(live_server, browser, tmp_path):
    base, _ = live_server
    director_ctx = browser.new_context(locale="vi-VN")
    director = director_ctx.new_page()
    director.set_default_timeout(20000)
    sign_in(director, base, "giamdoc")
    director.click("[data-testid=tasks] >> text=Ký quyết định")
    assert "Dự thảo" in director.inner_text("[data-testid=decision-state]")
    names = director.locator("[data-testid=awards] tbody tr td:nth-child(2)").all_inner_texts()
    assert names
    assert director.locator("[data-testid=act-issue]").count() == 0  # not the Director's act
    director.once("dialog", lambda dialog: dialog.accept())
    director.click("[data-testid=act-sign] button")
    assert "Đã ký, chờ cấp số" in director.inner_text("[data-testid=decision-state]")
    assert "chờ Văn thư cấp số" in director.inner_text("[data-testid=decision-signed]")
    director_ctx.close()

    ctx = browser.new_context(locale="vi-VN", accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(20000)
    sign_in(page, base, "vanthu")
    page.click("[data-testid=tasks] >> text=Cấp số, ban hành quyết định")
    # The archive's last decision of the year is 248/QĐ-SKHCN: the register gives 249.
    assert "249/QĐ-SKHCN" in page.inner_text("[data-testid=next-number]")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=act-issue] button")  # the number field left blank: the next
    assert "Đã ban hành" in page.inner_text("[data-testid=decision-state]")
    heading = page.inner_text("h1")
    assert "Quyết định số 249/QĐ-SKHCN" in heading
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
    assert "Số: 249/QĐ-SKHCN" in text and "QUYẾT ĐỊNH:" in text and "Điều 1." in text
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
