"""A whole sample decision, read back with poppler: text, page numbers, header repeat."""

import datetime as dt
import shutil
import subprocess
import unicodedata

import pytest

from dossier.documents.fonts import register_fonts
from dossier.documents.frame import _recipient_lines, balanced_lines

from .sample_doc import HEADER, KEY_NAMES, build_sample, sample_rows

N_ROWS = 300
PDFTOTEXT = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) absent")


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "sample.pdf"
    path.write_bytes(build_sample(N_ROWS))
    return path


@pytest.fixture(scope="module")
def pages(sample_pdf) -> list[list[str]]:
    out = subprocess.run(
        [PDFTOTEXT, "-layout", "-enc", "UTF-8", str(sample_pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    text = unicodedata.normalize("NFC", out)
    # pdftotext ends every page with a form feed; keep the non-blank lines of each page
    return [[ln.strip() for ln in p.splitlines() if ln.strip()] for p in text.split("\f")[:-1]]


@needs_poppler
def test_every_name_survives(pages):
    text = "\n".join("\n".join(p) for p in pages)
    names = {row[1] for row in sample_rows(N_ROWS)}
    assert set(KEY_NAMES) <= names
    missing = sorted(n for n in names if n not in text)
    assert not missing, missing


@needs_poppler
def test_heading_text(pages):
    first = "\n".join(pages[0])
    for s in [
        "UBND TỈNH NINH THUẬN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/QĐ-SKHCN",
        "Ninh Thuận, ngày 05 tháng 01 năm 2026",
        "QUYẾT ĐỊNH",
        "Nơi nhận:",
        "- Lưu: VT, VP.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Trần Văn Lượng",
    ]:
        assert s in first, s


@needs_poppler
def test_page_numbers_from_page_two(pages):
    assert len(pages) >= 3
    assert not pages[0][0].isdigit()  # page 1 starts with the heading, unnumbered
    for i, page in enumerate(pages[1:], start=2):
        assert page[0] == str(i), (i, page[:2])


@needs_poppler
def test_header_repeats_on_every_table_page(pages):
    table_pages = pages[1:]  # the appendix starts on page 2
    for i, page in enumerate(table_pages, start=2):
        header_line = next((ln for ln in page if ln.startswith("STT")), None)
        assert header_line is not None, f"no header on page {i}"
        for cell in HEADER[1:4]:
            assert cell in header_line, (i, header_line)


@needs_poppler
def test_fonts_embedded_and_distinct(sample_pdf):
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        pytest.skip("pdffonts absent")
    out = subprocess.run(
        [pdffonts, str(sample_pdf)], check=True, capture_output=True, text=True
    ).stdout
    embedded = {
        ln.split()[0].split("+")[-1]
        for ln in out.splitlines()[2:]
        if "TrueType" in ln and " yes " in ln
    }
    assert embedded == {
        "LiberationSerif",
        "LiberationSerif-Bold",
        "LiberationSerif-Italic",
        "LiberationSerif-BoldItalic",
    }
    assert "Helvetica" not in out


@needs_poppler
def test_metadata(sample_pdf):
    out = subprocess.run(["pdfinfo", str(sample_pdf)], capture_output=True, text=True).stdout
    assert "Quyết định khen thưởng năm 2025" in out
    assert "Sở Khoa học và Công nghệ" in out
    assert "A4" in out


def test_recipient_lines():
    assert _recipient_lines(["Như Điều 3", "- UBND tỉnh (b/c);", " "], "Lưu: VT, VP.") == [
        "- Như Điều 3;",
        "- UBND tỉnh (b/c);",
        "- Lưu: VT, VP.",
    ]
    assert _recipient_lines(["Như trên", "Lưu: VT, TĐKT"], "Lưu: VT, VP.") == [
        "- Như trên;",
        "- Lưu: VT, TĐKT.",
    ]


def test_balanced_lines():
    bold = register_fonts().bold
    one = balanced_lines("SỞ KHOA HỌC", bold, 13, 300)
    assert one == ["SỞ KHOA HỌC"]
    two = balanced_lines("SỞ KHOA HỌC VÀ CÔNG NGHỆ", bold, 13, 150)
    assert two == ["SỞ KHOA HỌC", "VÀ CÔNG NGHỆ"]


def test_build_is_pure():
    # Two builds of the same input give the same page count (no state leaks).
    assert build_sample(20).count(b"/Type /Page\n") == build_sample(20).count(b"/Type /Page\n")
    assert dt.date.today()  # no Flask, no app context needed
