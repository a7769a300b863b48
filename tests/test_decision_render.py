"""The decision as PDF (read back with poppler) and as DOCX (read back with python-docx)."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from dossier.decisions import docx as decision_docx
from dossier.decisions import pdf as decision_pdf
from dossier.decisions.data import Awardee, DecisionData

# One backend is enough: the decision is rendered from data in memory, no database.
pytestmark = pytest.mark.one_backend("neutral")

PDFTOTEXT = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) absent")

KEY_NAMES = ["Nguyễn Thị Quỳnh", "Đặng Văn Thắng", "Huỳnh Ngọc Phượng", "Võ Minh Hiếu"]
SURNAMES = ["Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Thị", "Văn", "Ngọc", "Minh", "Hữu", "Xuân", "Thu", "Quốc"]
GIVEN = ["Ánh", "Đức", "Hưng", "Nguyệt", "Thủy", "Dũng", "Hằng", "Lộc", "Yến", "Tuấn"]
POSITIONS = [
    "Chuyên viên",
    "Phó Trưởng phòng",
    "Trưởng phòng Quản lý công nghệ và thị trường khoa học và công nghệ",
    "Kế toán viên",
]
UNITS = ["Văn phòng Sở", "Thanh tra Sở", "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ"]
FORMS = [
    ("LDTT", "Danh hiệu Lao động tiên tiến", 40, "individual"),
    ("TTLDTT", "Danh hiệu Tập thể lao động tiên tiến", 6, "collective"),
    ("GK", "Giấy khen của Giám đốc Sở", 24, "individual"),
]
TEAMS = [
    "Văn phòng Sở",
    "Thanh tra Sở",
    "Phòng Quản lý khoa học",
    "Phòng Kế hoạch – Tài chính",
    "Chi cục Tiêu chuẩn Đo lường",
    "Trung tâm Thông tin",
]
SIGNER = "Trần Văn Lượng"
BASIS = [
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định "
    "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
    "Theo đề nghị của Chánh Văn phòng Sở.",
]
ARTICLES = [
    "Tặng danh hiệu Lao động tiên tiến, Tập thể lao động tiên tiến và Giấy khen của "
    "Giám đốc Sở cho các tập thể và cá nhân có tên trong danh sách kèm theo.",
    "Kinh phí khen thưởng chi từ Quỹ thi đua, khen thưởng của Sở.",
    "Chánh Văn phòng Sở, Thủ trưởng các đơn vị có liên quan và các tập thể, cá nhân có "
    "tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
]


def make_awardees(seed: int = 11) -> list[Awardee]:
    """70 awardees over 3 forms (40 + 6 collectives + 24), KEY_NAMES among individuals."""
    rnd = random.Random(seed)
    out, keys = [], iter(KEY_NAMES * 2)
    for code, form, n, kind in FORMS:
        for i in range(n):
            if kind == "collective":
                out.append(Awardee(TEAMS[i], kind, "", "Sở Khoa học và Công nghệ", code, form))
                continue
            name = (
                next(keys)
                if i % 8 == 0
                else " ".join(rnd.choice(p) for p in (SURNAMES, MIDDLE, GIVEN))
            )
            out.append(Awardee(name, kind, rnd.choice(POSITIONS), rnd.choice(UNITS), code, form))
    return out


def make_data(**kw) -> DecisionData:
    base = DecisionData(
        agency_parent="UBND TỈNH NINH THUẬN",
        agency_name="Sở Khoa học và Công nghệ",
        agency_code="SKHCN",
        place_name="Ninh Thuận",
        number=5,
        issued_on=dt.date(2026, 1, 5),
        subject="Về việc khen thưởng các tập thể và cá nhân có thành tích xuất sắc trong "
        "phong trào thi đua năm 2025",
        authority_title="GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        legal_basis=BASIS,
        articles=ARTICLES,
        awardees=make_awardees(),
        recipients=["Như Điều 3", "UBND tỉnh (b/c)", "Sở Nội vụ (b/c)"],
        signer_lines=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
        signer_name=SIGNER,
        draft=False,
    )
    return replace(base, **kw)


DRAFT = dict(
    number=None, issued_on=None, draft=True, signer_lines=["GIÁM ĐỐC"], extra={"year": 2026}
)


def pdf_pages(pdf: bytes, tmp_path, *, layout: bool = True) -> list[list[str]]:
    path = tmp_path / "d.pdf"
    path.write_bytes(pdf)
    args = [PDFTOTEXT, *(["-layout"] if layout else []), "-enc", "UTF-8", str(path), "-"]
    text = unicodedata.normalize(
        "NFC", subprocess.run(args, check=True, capture_output=True, text=True).stdout
    )
    return [
        [" ".join(ln.split()) for ln in p.splitlines() if ln.strip()] for p in text.split("\f")[:-1]
    ]


@pytest.fixture(scope="module")
def issued_pdf() -> bytes:
    return decision_pdf.render(make_data())


@pytest.fixture(scope="module")
def draft_pdf() -> bytes:
    return decision_pdf.render(make_data(**DRAFT))


@pytest.fixture
def issued(issued_pdf, tmp_path) -> list[list[str]]:
    return pdf_pages(issued_pdf, tmp_path)


def appendix_start(pages: list[list[str]]) -> int:
    return next(i for i, p in enumerate(pages) if any(ln.startswith("DANH SÁCH") for ln in p))


@needs_poppler
def test_every_name_comes_back(issued, issued_pdf, tmp_path):
    lines = [ln for p in issued for ln in p]
    people = [a for a in make_awardees() if a.kind == "individual"]
    assert set(KEY_NAMES) <= {a.name for a in people}
    for a in people:  # whole, on one line of the layout
        assert any(re.search(rf"(^|\s){re.escape(a.name)}(\s|$)", ln) for ln in lines), a.name
    # Collectives' names may wrap in their cell: read them in reading order instead.
    flowing = " ".join(ln for p in pdf_pages(issued_pdf, tmp_path, layout=False) for ln in p)
    for a in make_awardees():
        assert a.name in flowing, a.name


@needs_poppler
def test_decision_text_and_order(issued):
    body = "\n".join(ln for p in issued[: appendix_start(issued)] for ln in p)
    for s in [
        "UBND TỈNH NINH THUẬN",
        "SỞ KHOA HỌC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/QĐ-SKHCN",
        "Ninh Thuận, ngày 05 tháng 01 năm 2026",
        "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Lưu: VT, VP.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        SIGNER,
    ]:
        assert s in body, s
    assert "DỰ THẢO" not in body
    order = [
        "QUYẾT ĐỊNH\n",
        "Căn cứ Luật",
        "khen thưởng;",
        "Chánh Văn phòng Sở.",
        "QUYẾT ĐỊNH:",
        "Điều 1.",
        "Điều 2.",
        "Điều 3.",
        "Nơi nhận:",
    ]
    at = [body.find(s) for s in order]
    assert -1 not in at and at == sorted(at), dict(zip(order, at, strict=True))
    assert "2022;" in body  # a căn cứ line given without its ";" gets one


@needs_poppler
def test_page_numbers_from_page_two(issued):
    assert len(issued) >= 3
    assert not issued[0][0].isdigit()
    for i, page in enumerate(issued[1:], start=2):
        assert page[0] == str(i), (i, page[:2])


@needs_poppler
def test_appendix_caption_groups_and_header(issued):
    start = appendix_start(issued)
    first = "\n".join(issued[start])
    assert "Điều 1." not in first  # the appendix starts on its own page
    assert "(Kèm theo Quyết định số 05/QĐ-SKHCN ngày 05 tháng 01 năm 2026" in first
    text = "\n".join(ln for p in issued[start:] for ln in p)
    assert "của Giám đốc Sở Khoa học và Công nghệ)" in text
    for title in [
        "I. Danh hiệu Lao động tiên tiến (40 cá nhân)",
        "II. Danh hiệu Tập thể lao động tiên tiến (6 tập thể)",
        "III. Giấy khen của Giám đốc Sở (24 cá nhân)",
    ]:
        assert title in text, title
    appendix = issued[start:]
    assert len(appendix) >= 2
    for k, page in enumerate(appendix):
        header = next((ln for ln in page if ln.startswith("STT")), "")
        assert header == "STT Họ và tên Chức vụ Đơn vị", (start + k + 1, header)
        assert not re.match(r"^[IVX]+\. ", page[-1]), "group title alone at the foot"


@needs_poppler
def test_draft(draft_pdf, tmp_path):
    pages = pdf_pages(draft_pdf, tmp_path)
    assert all(any("DỰ THẢO" in ln for ln in p) for p in pages)
    first = "\n".join(pages[0])
    assert re.search(r"Số:\s+/QĐ-SKHCN", first)
    assert re.search(r"Ninh Thuận, ngày\s+tháng\s+năm 2026", first)
    assert "GIÁM ĐỐC" in first and "KT." not in first
    text = "\n".join(ln for p in pages for ln in p)
    assert re.search(r"\(Kèm theo Quyết định số\s+/QĐ-SKHCN\)", text)


def test_blanks_are_non_breaking():
    d = make_data(**DRAFT)
    assert decision_pdf.number_line(d) == "Số:" + "\u00a0" * 8 + "/QĐ-SKHCN"
    assert decision_pdf.date_line(d) == (
        "Ninh Thuận, ngày" + "\u00a0" * 6 + "tháng" + "\u00a0" * 6 + "năm 2026"
    )
    # a frozen decision comes back from JSON with its date as a string
    assert (
        decision_pdf.date_line(make_data(issued_on="2026-01-05"))
        == "Ninh Thuận, ngày 05 tháng 01 năm 2026"
    )
    assert decision_pdf.basis_lines(make_data())[-1].endswith("Sở.")


@needs_poppler
def test_fonts_embedded_and_metadata(issued_pdf, tmp_path):
    path = tmp_path / "d.pdf"
    path.write_bytes(issued_pdf)
    fonts = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    # reportlab names Helvetica as every page's initial font without drawing a glyph in
    # it (BaseDocTemplate's initialFontName is not set by build_pdf): ignore that entry.
    fonts = [ln for ln in fonts if not ln.startswith("Helvetica ")]
    assert len(fonts) >= 3
    assert all(" yes " in ln and "TrueType" in ln for ln in fonts), fonts
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert "Quyết định 05/QĐ-SKHCN" in info and "Sở Khoa học và Công nghệ" in info
    assert "Về việc khen thưởng" in info and "A4" in info


def test_empty_list_still_renders():
    assert decision_pdf.render(make_data(awardees=[])).startswith(b"%PDF")
    assert decision_docx.render(make_data(awardees=[]))[:2] == b"PK"


# --- DOCX ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def issued_docx():
    return docx.Document(io.BytesIO(decision_docx.render(make_data())))


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    return unicodedata.normalize("NFC", "\n".join(parts))


def test_docx_names_heading_and_body(issued_docx):
    doc = issued_docx
    heading = "\n".join(c.text for row in doc.tables[0].rows for c in row.cells)
    for s in [
        "UBND TỈNH NINH THUẬN",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/QĐ-SKHCN",
        "Ninh Thuận, ngày 05 tháng 01 năm 2026",
    ]:
        assert s in heading, s
    text = all_text(doc)
    for s in [
        "QUYẾT ĐỊNH:",
        "Điều 1.",
        "Điều 3.",
        "Nơi nhận:",
        "- Lưu: VT, VP.",
        "KT. GIÁM ĐỐC",
        SIGNER,
        "(Kèm theo Quyết định số 05/QĐ-SKHCN ngày 05 tháng 01 "
        "năm 2026 của Giám đốc Sở Khoa học và Công nghệ)",
    ]:
        assert s in text, s
    names = {c.text for row in doc.tables[-1].rows for c in row.cells}
    assert {a.name for a in make_awardees()} <= names
    article = next(p for p in doc.paragraphs if p.text.startswith("Điều 1."))
    assert article.runs[0].bold and article.paragraph_format.first_line_indent == Mm(12.7)
    assert article.alignment == decision_docx.JUSTIFY
    basis = next(p for p in doc.paragraphs if p.text.startswith("Căn cứ"))
    assert basis.runs[0].italic


def test_docx_page_fonts_and_header_row(issued_docx):
    sec = issued_docx.sections[0]
    mm = [
        round(x.mm, 1)
        for x in (
            sec.page_width,
            sec.page_height,
            sec.top_margin,
            sec.bottom_margin,
            sec.left_margin,
            sec.right_margin,
        )
    ]
    assert mm == [210, 297, 20, 20, 30, 15]  # stored in twips: compare in mm
    fonts = issued_docx.styles["Normal"].element.rPr.rFonts
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"
    }
    assert issued_docx.styles["Normal"].font.size.pt == 14
    table = issued_docx.tables[-1]
    assert [c.text for c in table.rows[0].cells] == decision_pdf.APPENDIX_HEADER
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(
        r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:5]
    )
    assert sec.different_first_page_header_footer
    assert sec.header._element.xpath(".//w:fldSimple[@w:instr='PAGE']")


def test_docx_draft():
    doc = docx.Document(io.BytesIO(decision_docx.render(make_data(**DRAFT))))
    assert "DỰ THẢO" in doc.sections[0].header.paragraphs[0].text
    assert "DỰ THẢO" in doc.sections[0].first_page_header.paragraphs[0].text
    heading = "\n".join(c.text for row in doc.tables[0].rows for c in row.cells)
    assert "Số:" + "\u00a0" * 8 + "/QĐ-SKHCN" in heading
