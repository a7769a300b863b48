"""wrapped_table: wrapping by measurement, row heights, group rows, header repeat."""

import pytest
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from dossier.documents import register_fonts, wrapped_table
from dossier.documents.table import PAD_BOTTOM, PAD_TOP, PAD_X, _Wrapper

HEADER = ["STT", "Họ và tên", "Chức vụ", "Đơn vị"]
WIDTHS = [12, 45, 40, 68]


def test_wrap_lines_fit_and_keep_words():
    f = register_fonts()
    w = _Wrapper(f.regular, 12)
    text = "Trưởng phòng Quản lý công nghệ và thị trường khoa học và công nghệ"
    wrapped, n = w.wrap(text, 30 * mm)
    lines = wrapped.split("\n")
    assert n == len(lines) > 1
    assert " ".join(lines) == text
    assert all(stringWidth(x, f.regular, 12) <= 30 * mm for x in lines)
    assert w.wrap(text, 30 * mm) == (wrapped, n)  # memoised result is identical


def test_wrap_cuts_overlong_words_and_keeps_breaks():
    f = register_fonts()
    w = _Wrapper(f.regular, 12)
    word = "x" * 80
    wrapped, n = w.wrap(word, 20 * mm)
    assert wrapped.replace("\n", "") == word and n > 1
    assert all(stringWidth(x, f.regular, 12) <= 20 * mm for x in wrapped.split("\n"))
    assert w.wrap("a\nb", 50 * mm) == ("a\nb", 2)
    assert w.wrap(None, 50 * mm) == ("", 1)
    assert w.wrap(17, 50 * mm) == ("17", 1)


def test_table_structure():
    rows = [
        ["1", "Nguyễn Thị Quỳnh", "Chuyên viên", "Văn phòng Sở"],
        [
            "2",
            "Đặng Văn Thắng",
            "Phó Trưởng phòng Quản lý khoa học và công nghệ cơ sở",
            "Phòng Quản lý khoa học",
        ],
        ["3", "Võ Minh Hiếu", None, "Thanh tra Sở"],
    ]
    t = wrapped_table(HEADER, rows, WIDTHS, group_rows={0: "Giấy khen", 2: "Lao động tiên tiến"})
    assert t.repeatRows == 1
    data = t._cellvalues
    assert len(data) == 1 + 2 + 3
    assert data[1][0] == "Giấy khen" and data[4][0] == "Lao động tiên tiến"
    assert "\n" in data[3][2]  # the long position wrapped
    assert data[5][2] == ""
    leading = 12 * 1.2
    assert t._argH[3] == pytest.approx(
        data[3][2].count("\n") * leading + leading + PAD_TOP + PAD_BOTTOM
    )
    spans = [c for c in t._spanCmds if c[0] == "SPAN"]
    assert {(c[1], c[2]) for c in spans} == {((0, 1), (-1, 1)), ((0, 4), (-1, 4))}
    assert t._colWidths == pytest.approx([w * mm for w in WIDTHS])
    assert PAD_X > 0


def test_table_validation():
    with pytest.raises(ValueError):
        wrapped_table(HEADER, [], WIDTHS[:3])
    with pytest.raises(ValueError):
        wrapped_table(HEADER, [["1", "a", "b", "c", "d"]], WIDTHS)
    with pytest.raises(ValueError):
        wrapped_table(HEADER, [["1"]], WIDTHS, group_rows={5: "x"})


def test_pages_cut_from_known_heights():
    """The table cuts itself into pages: each page fits, repeats the header, never ends on a
    group title, and together the pages hold every row once, in order."""
    rows = [
        [
            str(i),
            f"Người {i}",
            "Trưởng phòng Quản lý công nghệ và thị trường" if i % 3 else "Chuyên viên",
            "Văn phòng Sở",
        ]
        for i in range(300)
    ]
    groups = {0: "I. Lao động tiên tiến", 37: "II. Giấy khen", 38: "III. Bằng khen"}
    t = wrapped_table(HEADER, rows, WIDTHS, group_rows=groups)
    width, avail = sum(WIDTHS) * mm, 250 * mm
    assert t.wrap(width, avail)[1] > avail  # too tall: answered without laying it out
    pages, rest = [], t
    while True:
        w, h = rest.wrap(width, avail)
        if h <= avail:  # the last piece is drawn whole
            pages.append(getattr(rest, "_table", rest))
            break
        first, rest = rest.split(width, avail)
        assert sum(first._argH) <= avail
        pages.append(first)
    assert len(pages) > 3
    body = []
    for page in pages:
        cells = page._cellvalues
        assert cells[0][:2] == ["STT", "Họ và tên"]
        assert cells[-1][0] not in groups.values(), "group title alone at the foot"
        body += [r for r in cells[1:] if r[0] not in groups.values()]
    assert [r[1] for r in body] == [f"Người {i}" for i in range(300)]
    spans = [c for p in pages for c in p._spanCmds if c[0] == "SPAN"]
    assert len(spans) == len(groups)  # each group row is spanned on the page it lands on
    assert t.split(width, 20) == []  # not even the header and one row: move on
