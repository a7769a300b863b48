"""Exports of the consolidated list: XLSX, the list PDF and the council's tờ trình."""

from __future__ import annotations

import datetime as dt
import io
import random
import shutil
import subprocess
import time
import unicodedata
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from dossier.intake import council_letter
from dossier.intake.export import CHECK_HEADER, XLSX_HEADER, count_phrase, to_xlsx
from dossier.intake.export_pdf import to_pdf
from dossier.intake.listing import Consolidated, Finding, ListRow
from dossier.text import name_sort_key

# One backend is enough: the list's documents are built from data in memory, no database.
pytestmark = pytest.mark.one_backend("neutral")

PDFTOTEXT = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) absent")

AGENCY = SimpleNamespace(
    parent_body="UBND tỉnh Ninh Thuận",
    name="Sở Khoa học và Công nghệ",
    short_code="SKHCN",
    place_name="Ninh Thuận",
    director_name="Lê Văn Hưng",
    director_title="Giám đốc",
)
CAMPAIGN = "Phong trào thi đua năm 2025"
LETTER_DATE = dt.date(2025, 12, 22)

# --- test data -------------------------------------------------------------------------

KEY_NAMES = ["Nguyễn Thị Quỳnh", "Đặng Văn Thắng", "Huỳnh Ngọc Phượng", "Võ Minh Hiếu"]
SURNAMES = ["Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Thị", "Văn", "Ngọc", "Minh", "Hữu", "Xuân", "Thu", "Quốc"]
GIVEN = ["Ánh", "Đức", "Hưng", "Nguyệt", "Thủy", "Dũng", "Hằng", "Lộc", "Yến", "Tuấn"]
TEAMS = ["Tổ Tổng hợp", "Tổ Hành chính", "Tổ Kiểm định", "Tổ Thẩm định", "Tổ Công nghệ"]
POSITIONS = ["Chuyên viên", "Phó Trưởng phòng", "Kế toán viên", "Kỹ sư", "Thanh tra viên"]
# (code, name, order, level, kinds): kinds "i" individual, "c" collective, "ic" either
FORMS = [
    ("LDTT", "Lao động tiên tiến", 1, "director", "i"),
    ("TTLDTT", "Tập thể lao động tiên tiến", 2, "director", "c"),
    ("BKUBND", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", 3, "upward", "ic"),
]
UNITS = [
    (11, "Văn phòng Sở", 1),
    (12, "Phòng Quản lý Khoa học", 2),
    (13, "Phòng Kế hoạch – Tài chính", 3),
    (14, "Chi cục Tiêu chuẩn Đo lường Chất lượng", 4),
]
SOURCE = "Luật Thi đua, khen thưởng 2022, Điều 80"


def make_consolidated(n: int, seed: int = 3) -> Consolidated:
    """n rows over 3 forms and 4 units, KEY_NAMES among the individuals, some findings."""
    rnd = random.Random(seed)
    keys = iter(KEY_NAMES)
    rows = []
    for i in range(n):
        code, form, form_order, level, kinds = FORMS[i % 3]
        unit_id, unit, unit_order = UNITS[(i // 3) % 4]
        collective = kinds == "c" or (kinds == "ic" and i % 9 == 8)
        if collective:
            name, position = rnd.choice(TEAMS), ""
        else:
            name = next(keys, None) or " ".join(rnd.choice(p) for p in (SURNAMES, MIDDLE, GIVEN))
            position = rnd.choice(POSITIONS)
        present = rnd.randint(8, 20)
        rows.append(
            ListRow(
                nominee_id=1000 + i,
                dossier_id=unit_id * 10,
                name=name,
                kind="collective" if collective else "individual",
                position=position,
                gender=None,
                unit_id=unit_id,
                unit_name=unit,
                unit_order=unit_order,
                form_code=code,
                form_name=form,
                form_order=form_order,
                form_level=level,
                votes_for=present - rnd.randint(0, 3),
                votes_against=0,
                meeting_present=present,
                sort_key=name_sort_key(name).hex(),
            )
        )
        row = rows[-1]
        if i % 7 == 3:
            row.findings.append(
                Finding(
                    "warning",
                    "unit_vote",
                    f"{name}: phiếu đồng ý dưới tỷ lệ tối thiểu.",
                    "Quy chế của Sở",
                    row.nominee_id,
                )
            )
        if i % 11 == 5:
            row.findings.append(
                Finding(
                    "error", "duplicate", f"{name} được đề nghị hai lần.", SOURCE, row.nominee_id
                )
            )
    cons = Consolidated(
        campaign_id=7,
        campaign_name=CAMPAIGN,
        year=2025,
        rows=rows,
        list_findings=[
            Finding(
                "warning",
                "quota",
                "Số Chiến sĩ thi đua cơ sở vượt 15% số Lao động tiên tiến.",
                SOURCE,
            )
        ],
    )
    cons.sort()
    return cons


# --- helpers ---------------------------------------------------------------------------


def pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [PDFTOTEXT, "-layout", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return unicodedata.normalize("NFC", out).split("\f")[:-1]


def sheet_values(xlsx: bytes) -> dict[str, list[tuple]]:
    wb = load_workbook(io.BytesIO(xlsx))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


@pytest.fixture(scope="module")
def cons() -> Consolidated:
    return make_consolidated(30)


# --- XLSX ------------------------------------------------------------------------------


def test_xlsx_list_sheet(cons):
    wb = load_workbook(io.BytesIO(to_xlsx(cons, agency_name=AGENCY.name, version=2)))
    assert wb.sheetnames == ["Danh sách tổng hợp", "Kiểm tra"]
    ws = wb["Danh sách tổng hợp"]
    values = list(ws.iter_rows(values_only=True))
    assert values[1][0] == "DANH SÁCH TỔNG HỢP ĐỀ NGHỊ KHEN THƯỞNG"
    assert values[2][0] == CAMPAIGN
    assert values[3][0].startswith("Phiên bản số 2")
    assert list(values[4]) == XLSX_HEADER
    assert ws.freeze_panes == "C6"
    body = values[5:]
    groups = [r[0] for r in body if isinstance(r[0], str)]
    assert groups[0] == "I. Lao động tiên tiến (10) – Giám đốc Sở"
    assert "III. Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh (10) – Đề nghị cấp trên" in groups
    assert groups[1] == "1. Văn phòng Sở (3)"
    assert sum(g[0].isdigit() for g in groups) == 12  # 3 forms x 4 units
    data = [r for r in body if isinstance(r[0], int)]
    assert [r[0] for r in data] == list(range(1, 31))  # STT continuous across groups
    assert [r[1] for r in data] == [r.name for r in cons.rows]
    assert set(KEY_NAMES) <= {r[1] for r in data}
    by_name = {r[1]: r for r in data}
    first = cons.rows[0]
    assert by_name[first.name][6] == "Giám đốc Sở"
    assert by_name[first.name][7] == f"{first.votes_for}/{first.meeting_present}"
    errors = [r for r in data if r[8]]
    assert len(errors) == sum(bool(r.errors) for r in cons.rows) > 0
    assert all("được đề nghị hai lần" in r[8] for r in errors)
    assert any(r[9] and "phiếu đồng ý" in r[9] for r in data)


def test_xlsx_findings_sheet(cons):
    values = sheet_values(to_xlsx(cons, agency_name=AGENCY.name, version=None))
    assert values["Danh sách tổng hợp"][3][0].startswith("Bản làm việc (chưa gửi Hội đồng)")
    check = values["Kiểm tra"]
    assert check[0][0] == f"KẾT QUẢ KIỂM TRA: {cons.error_count} lỗi, {cons.warning_count} cảnh báo"
    assert list(check[1]) == CHECK_HEADER
    entries = check[2:]
    assert len(entries) == len(cons.all_findings)
    assert entries[0][1:4] == ("Cảnh báo", "Vượt tỷ lệ khen thưởng", "(Toàn danh sách)")
    assert {e[1] for e in entries} == {"Lỗi", "Cảnh báo"}
    assert {e[6] for e in entries} == {f.message for f in cons.all_findings}
    assert SOURCE in {e[7] for e in entries}


# --- PDF -------------------------------------------------------------------------------


@needs_poppler
def test_list_pdf_text(cons, tmp_path):
    pages = pdf_pages(to_pdf(cons, agency=AGENCY, version=2), tmp_path)
    text = "\n".join(pages)
    for s in [
        "UBND TỈNH NINH THUẬN",
        "SỞ KHOA HỌC",
        "VÀ CÔNG NGHỆ",
        "Phiên bản số 2",
        "DANH SÁCH TỔNG HỢP ĐỀ NGHỊ KHEN THƯỞNG",
        "Năm 2025",
        "I. Lao động tiên tiến (10)",
        "II. Tập thể lao động tiên tiến (10)",
        "1. Văn phòng Sở (3)",
        "Đề nghị trùng",  # a version sent to the council: notes without "Lỗi:"/"Cảnh báo:"
        "Phiếu tại",
        "Tổng số: 30 đề nghị",
        "Lao động tiên tiến: 10 cá nhân",
    ]:
        assert s in text or s in " ".join(text.split()), s
    missing = [r.name for r in cons.rows if r.name not in text]
    assert not missing
    assert set(KEY_NAMES) <= {r.name for r in cons.rows}
    assert "Lỗi:" not in text and "Cảnh báo:" not in text
    working = "\n".join(pdf_pages(to_pdf(cons, agency=AGENCY, version=None), tmp_path))
    assert "Bản làm việc (chưa gửi Hội đồng)" in working and "Lỗi: đề nghị" in working


@needs_poppler
def test_draft_pdf_says_so(cons, tmp_path):
    text = "\n".join(pdf_pages(to_pdf(cons, agency=AGENCY, version=None), tmp_path))
    assert "Bản làm việc (chưa gửi Hội đồng)" in text
    assert "Phiên bản số" not in text


@needs_poppler
def test_council_letter(cons, tmp_path):
    pdf = council_letter.render(
        cons,
        agency=AGENCY,
        version=2,
        letter_number="12/TTr-VP",
        letter_date=LETTER_DATE,
        signer_name="Phạm Thị Nguyệt",
    )
    pages = pdf_pages(pdf, tmp_path)
    letter = " ".join(pages[0].split())  # the letter fits page 1; layout spaces collapsed
    for s in [
        "SỞ KHOA HỌC",
        "VÀ CÔNG NGHỆ",
        "VĂN PHÒNG",
        "Số: 12/TTr-VP",
        "Ninh Thuận, ngày 22 tháng 12 năm 2025",
        "TỜ TRÌNH",
        "Về việc xét khen thưởng năm 2025",
        "Kính gửi: Hội đồng Thi đua - Khen thưởng Sở Khoa học và Công nghệ",
        "của 4 đơn vị",
        "gồm 13 tập thể, 17 cá nhân",
        "phiên bản số 2",
        "- Lao động tiên tiến: 10 cá nhân;",
        "- Tập thể lao động tiên tiến: 10 tập thể;",
        "- Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh: 3 tập thể, 7 cá nhân.",
        "(Có danh sách kèm theo)",
        "CHÁNH VĂN PHÒNG",
        "Phạm Thị Nguyệt",
    ]:
        assert s in letter, s
    assert not any(name in pages[0] for name in KEY_NAMES)  # the list starts on page 2
    # An official text: no count of the office's checks, no "Lỗi:"/"Cảnh báo:" marks.
    text = " ".join(pages)
    assert "lỗi," not in letter and "Cảnh báo:" not in text and "Lỗi:" not in text
    appendix = "\n".join(pages[1:])
    assert "(Kèm theo Tờ trình số 12/TTr-VP ngày 22/12/2025 của Văn phòng)" in appendix
    assert not [r.name for r in cons.rows if r.name not in appendix]


@needs_poppler
def test_council_letter_without_number(cons, tmp_path):
    pdf = council_letter.render(
        cons, agency=AGENCY, version=1, letter_number=None, letter_date=LETTER_DATE
    )
    first = pdf_pages(pdf, tmp_path)[0]
    assert any(
        ln.split()[:1] == ["Số:"] and "/TTr-VP" in ln
        for ln in (x.strip() for x in first.splitlines())
    )


def test_empty_list_renders():
    empty = Consolidated(campaign_id=1, campaign_name=CAMPAIGN, year=2025, rows=[])
    assert to_pdf(empty, agency=AGENCY, version=None).startswith(b"%PDF")
    assert council_letter.render(
        empty, agency=AGENCY, version=1, letter_number=None, letter_date=LETTER_DATE
    ).startswith(b"%PDF")
    values = sheet_values(to_xlsx(empty, agency_name=AGENCY.name, version=None))
    assert values["Kiểm tra"][-1][0] == "Không có lỗi hay cảnh báo."


def test_counts_wording():
    assert count_phrase(2, 10) == "2 tập thể, 10 cá nhân"
    assert count_phrase(0, 3) == "3 cá nhân"
    assert count_phrase(0, 0) == "0 tập thể, 0 cá nhân"


# --- frozen versions and volume --------------------------------------------------------


def test_json_round_trip_renders_identically(cons, monkeypatch):
    from reportlab import rl_config

    monkeypatch.setattr(rl_config, "invariant", 1)  # no timestamps or random ids in the PDF
    thawed = Consolidated.from_json(cons.to_json())
    assert thawed == cons
    assert to_pdf(thawed, agency=AGENCY, version=2) == to_pdf(cons, agency=AGENCY, version=2)
    args = dict(agency=AGENCY, version=2, letter_number="12/TTr-VP", letter_date=LETTER_DATE)
    assert council_letter.render(thawed, **args) == council_letter.render(cons, **args)
    assert sheet_values(to_xlsx(thawed, agency_name=AGENCY.name, version=2)) == sheet_values(
        to_xlsx(cons, agency_name=AGENCY.name, version=2)
    )


def test_2000_rows_build(capsys):
    big = make_consolidated(2000, seed=11)
    timings, out = {}, {}
    for name, fn in [
        ("xlsx", lambda: to_xlsx(big, agency_name=AGENCY.name, version=3)),
        ("pdf", lambda: to_pdf(big, agency=AGENCY, version=3)),
        (
            "council_letter",
            lambda: council_letter.render(
                big, agency=AGENCY, version=3, letter_number="15/TTr-VP", letter_date=LETTER_DATE
            ),
        ),
    ]:
        start = time.perf_counter()
        out[name] = fn()
        timings[name] = round(time.perf_counter() - start, 3)
    with capsys.disabled():
        print(f"\n2,000 rows, seconds: {timings}")
    assert out["pdf"].startswith(b"%PDF") and out["council_letter"].startswith(b"%PDF")
    rows = sheet_values(out["xlsx"])["Danh sách tổng hợp"]
    assert sum(isinstance(r[0], int) for r in rows) == 2000
