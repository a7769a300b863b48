"""The numbered pager (paging.page_window, the `page_links` macro): a window of pages, never
a row of hundreds of links (the consolidated list of a province has 400 pages; on a phone
its 41 demo pages made the whole page 1,300 px wide)."""

from __future__ import annotations

import re
from itertools import pairwise

from flask import render_template_string
from hypothesis import given
from hypothesis import strategies as st

from dossier.paging import page_window

PAGER = '{% from "_macros.html" import page_links with context %}{{ page_links(p, n, url) }}'


@given(pages=st.integers(0, 2000), page=st.integers(-5, 2100))
def test_the_window_keeps_the_ends_and_the_current_page_and_marks_each_gap(pages, page):
    shown = page_window(page, pages)
    if pages < 1:
        assert shown == []
        return
    numbers = [p for p in shown if p is not None]
    current = max(1, min(page, pages))
    assert numbers == sorted(set(numbers)) and set(numbers) <= set(range(1, pages + 1))
    assert {1, pages, current} <= set(numbers)
    assert {p for p in range(current - 2, current + 3) if 1 <= p <= pages} <= set(numbers)
    assert len(shown) <= 11  # 2 + 1 + 5 + 1 + 2
    if pages <= 5:
        assert numbers == list(range(1, pages + 1))  # every page is at an end or near
    assert shown[0] == 1 and shown[-1] == pages
    for (before, item), (_, after) in pairwise(pairwise(shown)):
        if item is None:  # "…" stands for two or more pages, between two numbers
            assert before is not None and after is not None and after > before + 2
    for a, b in pairwise(shown):
        if a is not None and b is not None:
            assert b == a + 1  # numbers that skip always have a gap between them


def test_the_macro_draws_the_window_with_links_and_the_current_page(app):
    with app.test_request_context("/"):
        html = render_template_string(PAGER, p=200, n=400, url=lambda p: f"/x?trang={p}")
    assert re.findall(r'href="/x\?trang=(\d+)"', html) == [
        "1", "2", "198", "199", "200", "201", "202", "399", "400"
    ]  # fmt: skip
    assert html.count("…") == 2 and 'aria-current="page">200<' in html
    assert 'aria-label="Phân trang"' in html and "flex-wrap" in html
    with app.test_request_context("/"):
        assert "page-link" not in render_template_string(PAGER, p=1, n=1, url=str)


def test_a_page_past_the_end_shows_the_last_page(app, as_user):
    from dossier.enums import Role
    from tests import builders as b
    from tests import dossier_builders as db_
    from tests.intake_builders import submitted

    c = db_.campaign()
    submitted(c, [("Lê Thị Thảo", "LDTT")], state="accepted")
    office = as_user(b.user(Role.OFFICE))
    for url in (f"/tiep-nhan/{c.id}/danh-sach", f"/tiep-nhan/{c.id}", "/quyet-dinh/", "/"):
        last = _rows(office.get(url).get_data(as_text=True))
        assert _rows(office.get(f"{url}?trang=99999").get_data(as_text=True)) == last, url
        if "tiep-nhan" in url:
            assert last, url  # the rows are there to compare
    page = office.get(f"/tiep-nhan/{c.id}/danh-sach?trang=7").get_data(as_text=True)
    assert "Lê Thị Thảo" in page and "Chưa có hồ sơ nào được nộp" not in page


# What identifies a list's rows: a nominee's or a unit's row, a task's or a decision's link
# (not the rows' text: "còn 16 ngày 13 giờ" may turn between two requests).
ROW = re.compile(
    r'data-(?:nominee|unit)="([^"]*)"'
    r'|href="([^"]*)" class="list-group-item'
    r'|href="(/quyet-dinh/\d+)"'
)


def _rows(html: str) -> list[tuple[str, ...]]:
    return ROW.findall(html)
