"""The council's minutes PDF, read back with poppler's pdftotext."""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import subprocess
import time
import unicodedata

import pytest

from dossier.council.minutes_data import MemberLine, MinutesData, ResultLine
from dossier.council.minutes_pdf import approved_list, render

# One backend is enough: the minutes are rendered from data in memory, no database.
pytestmark = pytest.mark.one_backend("neutral")

PDFTOTEXT = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) absent")

KEY_NAMES = ["Nguyễn Thị Quỳnh", "Đặng Văn Thắng", "Huỳnh Ngọc Phượng", "Võ Minh Hiếu"]
SURNAMES = ["Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Thị", "Văn", "Ngọc", "Minh", "Hữu", "Xuân", "Thu", "Quốc"]
GIVEN = ["Ánh", "Đức", "Hưng", "Nguyệt", "Thủy", "Dũng", "Hằng", "Lộc", "Yến", "Tuấn"]
UNITS = [
    "Văn phòng Sở",
    "Thanh tra Sở",
    "Phòng Quản lý Khoa học",
    "Chi cục Tiêu chuẩn Đo lường Chất lượng",
]
TEAMS = ["Tổ Tổng hợp", "Tổ Hành chính", "Tổ Kiểm định", "Tổ Thẩm định", "Tổ Công nghệ"]
# (form, level, kind, threshold pct, strict, base words, base = members or present)
FORMS = [
    ("Lao động tiên tiến", "director", "individual", 50, True, "số thành viên có mặt"),
    ("Tập thể lao động tiên tiến", "director", "collective", 50, True, "số thành viên có mặt"),
    ("Chiến sĩ thi đua cơ sở", "director", "individual", 70, False, "tổng số thành viên Hội đồng"),
    (
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "upward",
        "individual",
        80,
        False,
        "tổng số thành viên Hội đồng",
    ),
]
THRESHOLD_SENTENCE = (
    "Chiến sĩ thi đua cơ sở: đạt khi số phiếu đồng ý từ 70% trở lên tổng số "
    "thành viên Hội đồng (12)"
)
REOPEN_REASON = "phát hiện sai sót khi nhập phiếu giấy của Võ Minh Hiếu"
FAILED = "Đặng Văn Thắng"
CHAIR, SECRETARY = "Lê Văn Hưng", "Phạm Thị Thu Hằng"


def make_members() -> list[MemberLine]:
    members = [
        MemberLine(CHAIR, "Chủ tịch Hội đồng", "Giám đốc Sở", True),
        MemberLine("Trần Quốc Dũng", "Phó Chủ tịch Hội đồng", "Phó Giám đốc Sở", True),
        MemberLine("Bùi Thị Nguyệt", "Phó Chủ tịch thường trực", "Chánh Văn phòng", True),
        MemberLine(SECRETARY, "Ủy viên, Thư ký", "Chuyên viên Văn phòng Sở", True),
    ]
    offices = [
        "Chánh Thanh tra Sở",
        "Trưởng phòng Quản lý Khoa học",
        "Trưởng phòng Quản lý Công nghệ",
        "Trưởng phòng Kế hoạch – Tài chính",
        "Chi cục trưởng Chi cục Tiêu chuẩn Đo lường Chất lượng",
        "Chủ tịch Công đoàn cơ sở",
        "Bí thư Chi đoàn",
        "Giám đốc Trung tâm",
    ]
    names = [
        "Hồ Xuân Lộc",
        "Ngô Thu Yến",
        "Dương Minh Tuấn",
        "Phan Hữu Đức",
        "Vũ Thị Ánh",
        "Hoàng Văn Thủy",
        "Đỗ Ngọc Hưng",
        "Lý Thị Hằng",
    ]
    members += [MemberLine(n, "Ủy viên", o, True) for n, o in zip(names, offices, strict=True)]
    members[-2] = MemberLine(names[-2], "Ủy viên", offices[-2], False, written=True)
    members[-1] = MemberLine(names[-1], "Ủy viên", offices[-1], False)
    return members


def make_results(n: int, seed: int = 7) -> list[ResultLine]:
    """n results in form order, KEY_NAMES among the individuals; one paper row (Võ Minh
    Hiếu, CSTĐCS) and at least one failed row. 12 members, 10 present, 1 written view."""
    rnd = random.Random(seed)
    keys = iter(KEY_NAMES)
    out: list[ResultLine] = []
    for i in range(n):
        form, level, kind, pct, strict, base_words = FORMS[i * len(FORMS) // n]
        base = 10 if strict else 12
        if kind == "collective":
            name = f"{TEAMS[i % len(TEAMS)]} {i}"
        else:
            name = next(keys, None) or " ".join(rnd.choice(p) for p in (SURNAMES, MIDDLE, GIVEN))
        issued = 10 if strict else 11  # open vote: those present; secret: + 1 written view
        returned = issued - (i % 3 == 0)
        valid = returned - (i % 5 == 0)
        agree = max(valid - rnd.choice([0, 0, 1, 1, 2, 3]), 0)
        paper = name == "Võ Minh Hiếu"
        if paper:  # moved to CSTĐCS, secret ballot on paper
            form, level, _, pct, strict, base_words = FORMS[2]
            base, issued = 12, 11
            returned, valid = issued, issued
            agree = 10
        if name == FAILED:  # exactly half of those present: "trên 50%" fails
            returned, valid, agree = issued, issued, issued // 2
        out.append(
            ResultLine(
                name=name,
                kind=kind,
                unit=UNITS[i % len(UNITS)],
                form=form,
                form_level=level,
                method="paper" if paper else "electronic",
                issued=issued,
                returned=returned,
                valid=valid,
                agree=agree,
                base=base,
                base_words=base_words,
                threshold=f"trên {pct}%" if strict else f"từ {pct}% trở lên",
                percent=f"{agree * 1000 // base / 10:.1f}%".replace(".", ","),
                passed=agree * 100 > pct * base if strict else agree * 100 >= pct * base,
            )
        )
    out.sort(key=lambda r: [f[0] for f in FORMS].index(r.form))  # grouped, stable
    return out


def make_data(n: int = 40) -> MinutesData:
    return MinutesData(
        agency_parent="UBND tỉnh Ninh Thuận",
        agency_name="Sở Khoa học và Công nghệ",
        place_name="Ninh Thuận",
        campaign="Phong trào thi đua năm 2025",
        meeting_date=dt.date(2025, 12, 26),
        meeting_place="Phòng họp số 1, Sở Khoa học và Công nghệ",
        list_version=3,
        chair=CHAIR,
        secretary=SECRETARY,
        members=make_members(),
        quorum_words="có mặt 10/12 thành viên, đủ 2/3 theo quy định",
        guests=["Đại diện Sở Nội vụ", "Đại diện Công đoàn ngành"],
        results=make_results(n),
        reopened_reasons=[REOPEN_REASON + "."],
        year=2025,
    )


def pdf_text(pdf: bytes, *layout: str) -> str:
    out = subprocess.run(
        [PDFTOTEXT, *layout, "-enc", "UTF-8", "-", "-"], input=pdf, check=True, capture_output=True
    ).stdout.decode()
    return unicodedata.normalize("NFC", out)


@pytest.fixture(scope="module")
def data() -> MinutesData:
    return make_data()


@pytest.fixture(scope="module")
def pdf(data) -> bytes:
    return render(data)


@pytest.fixture(scope="module")
def pages(pdf) -> list[list[str]]:
    text = pdf_text(pdf, "-layout")
    return [[ln.strip() for ln in p.splitlines() if ln.strip()] for p in text.split("\f")[:-1]]


@pytest.fixture(scope="module")
def flat(pages) -> str:
    """The whole text, whitespace collapsed, so sentences survive line wrapping. From the
    layout mode: the raw mode reorders words of justified lines."""
    return " ".join(" ".join(ln for p in pages for ln in p).split())


def test_pdf_starts_well(pdf):
    assert pdf.startswith(b"%PDF-")


@needs_poppler
def test_heading_and_title(pages, flat):
    first = "\n".join(pages[0])
    for s in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Ninh Thuận, ngày 26 tháng 12 năm 2025",
        "BIÊN BẢN",
    ]:
        assert s in first, s
    # The left column wraps ("SỞ KHOA HỌC" / "VÀ CÔNG NGHỆ"): read it as a column.
    left = " ".join(ln.split("  ")[0] for ln in pages[0][:4])
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" in left, left
    assert "Số: /BB-HĐTĐKT" in flat
    assert "Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng năm 2025" in flat


@needs_poppler
def test_attendance(data, flat):
    assert "vào lúc …… giờ …… phút, ngày 26 tháng 12 năm 2025" in flat
    assert "Chủ trì: Lê Văn Hưng – Chủ tịch Hội đồng – Giám đốc Sở" in flat
    assert f"Thư ký: {SECRETARY}" in flat
    assert "có mặt (10/12)" in flat and "vắng mặt (2)" in flat
    for m in data.members:
        assert m.name in flat, m.name
    assert "Đỗ Ngọc Hưng – Ủy viên – Bí thư Chi đoàn, có ý kiến bằng văn bản" in flat
    assert "Lý Thị Hằng – Ủy viên – Giám đốc Trung tâm." in flat  # absent, no written view
    assert "Đại diện Sở Nội vụ" in flat
    assert "Hội đồng có mặt 10/12 thành viên, đủ 2/3 theo quy định." in flat


@needs_poppler
def test_every_result_row_with_its_counts(data, pages):
    lines = [ln for p in pages for ln in p]
    text = "\n".join(lines)
    for r in data.results:
        assert r.name in text, r.name
        i = next(k for k, ln in enumerate(lines) if r.name in ln)
        window = " ".join(lines[i - 1 : i + 2])
        result = "Đạt" if r.passed else "Không đạt"
        counts = rf"{r.issued}\s+{r.returned}\s+{r.valid}\s+{r.agree}\s+{r.percent}\s+{result}"
        assert re.search(counts, window), (r.name, window)


@needs_poppler
def test_paper_row_and_notes(pages, flat):
    lines = [ln for p in pages for ln in p]
    i = next(k for k, ln in enumerate(lines) if "Võ Minh Hiếu" in ln)
    assert "(phiếu giấy)" in " ".join(lines[i - 1 : i + 3])
    assert THRESHOLD_SENTENCE in flat
    assert "Lao động tiên tiến: đạt khi số phiếu đồng ý trên 50% số thành viên có mặt (10)" in flat
    assert "Dòng ghi (phiếu giấy): biểu quyết bằng phiếu giấy" in flat


@needs_poppler
def test_conclusion_and_reopening(data, flat):
    def phrase(rows):  # "9 tập thể, 13 cá nhân", a zero part left out
        c = sum(r.kind == "collective" for r in rows)
        return ", ".join(f"{k} {w}" for k, w in ((c, "tập thể"), (len(rows) - c, "cá nhân")) if k)

    approved = approved_list(data)
    director = [r for r in approved if r.form_level == "director"]
    assert f"1. Đề nghị Giám đốc Sở khen thưởng: {phrase(director)}, gồm:" in flat
    upward = [r for r in approved if r.form_level == "upward"]
    assert f"2. Đề nghị cấp trên khen thưởng: {phrase(upward)}, gồm:" in flat
    assert f"lý do: {REOPEN_REASON}." in flat
    assert FAILED not in {r.name for r in approved}
    failed = [r for r in data.results if not r.passed]
    assert f"3. Không đạt số phiếu theo quy định: {phrase(failed)}, gồm:" in flat
    assert f"- Lao động tiên tiến (1 cá nhân): {FAILED}" in flat


@needs_poppler
def test_closing_and_signatures_together(pages):
    last = " ".join(" ".join(pages[-1]).split())
    assert "biên bản đã được thông qua trước Hội đồng" in last
    for s in ["THƯ KÝ", "CHỦ TỊCH HỘI ĐỒNG", CHAIR, SECRETARY]:
        assert s in last, s
    titles = next(ln for ln in pages[-1] if "THƯ KÝ" in ln)
    assert titles.index("THƯ KÝ") < titles.index("CHỦ TỊCH HỘI ĐỒNG")  # side by side


@needs_poppler
@pytest.mark.parametrize("n", range(38, 46))
def test_signatures_never_leave_the_closing_sentence(n):
    # Around these sizes the closing and the signatures fall at a page break (measured).
    pages = pdf_text(render(make_data(n)), "-layout").split("\f")[:-1]
    last = " ".join(pages[-1].split())
    assert "biên bản đã được thông qua trước Hội đồng./. THƯ KÝ CHỦ TỊCH HỘI ĐỒNG" in last
    assert f"{SECRETARY} {CHAIR} Nơi nhận:" in last and last.endswith("- Lưu: VT, VP.")


@needs_poppler
def test_no_page_left_half_empty(pages):
    # A table kept with its heading once jumped to page 3, leaving page 2 with 4 lines.
    for i, page in enumerate(pages[:-1], start=1):
        assert len(page) >= 25, (i, page)


@needs_poppler
def test_page_numbers_from_page_two(pages):
    assert len(pages) >= 2
    assert not pages[0][0].isdigit()
    for i, page in enumerate(pages[1:], start=2):
        assert page[0] == str(i), (i, page[:2])


def test_approved_list_keeps_grouped_order(data):
    approved = approved_list(data)
    assert approved == [r for r in data.results if r.passed]
    assert all(r.passed for r in approved)
    forms = [r.form for r in approved]
    assert forms == sorted(forms, key=[f[0] for f in FORMS].index)


def test_groups_forms_given_out_of_order():
    data = make_data(12)
    data.results = data.results[::-1]  # interleaving forms must still group them
    shuffled = data.results[:]
    random.Random(1).shuffle(shuffled)
    data.results = shuffled
    approved = approved_list(data)
    seen: list[str] = []
    for r in approved:
        if r.form not in seen:
            seen.append(r.form)
        assert r.form == seen[-1], "forms must come in contiguous groups"


def test_empty_meeting_renders():
    data = make_data(8)
    data.results, data.guests, data.reopened_reasons = [], [], []
    assert render(data).startswith(b"%PDF-")
    assert approved_list(data) == []


def test_300_results_render_quickly():
    data = make_data(300)
    start = time.perf_counter()
    pdf = render(data)
    elapsed = time.perf_counter() - start
    assert pdf.startswith(b"%PDF-")
    assert elapsed < 10, f"{elapsed:.2f} s for 300 results"
