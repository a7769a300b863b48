"""Lists a user can work with: search (folded Vietnamese), filters and sorting kept in the
URL on the Hồ sơ list, decisions, history and intake; scoping by role unchanged; bad
values ignored (never a 500)."""

from __future__ import annotations

import re
from html import unescape

from dossier.decisions import operations as decision_ops
from dossier.enums import NomineeKind, Role
from dossier.extensions import db
from dossier.history.models import AwardRecord
from dossier.text import fold
from tests import builders as b
from tests import dossier_builders as db_
from tests.decision_builders import approved, clerk, people
from tests.intake_builders import submitted


def _rows(html: str, testid: str) -> str:
    """The HTML of one list (between its data-testid and the end of its table/div)."""
    start = html.index(f'data-testid="{testid}"')
    tag = html.rindex("<", 0, start)
    end = "</table>" if html.startswith("<table", tag) else "</div>"
    return html[start : html.index(end, start)]


def _links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'class="page-link" href="([^"]+)"', html)]


def test_dossiers_search_folded_filter_sort_and_url_kept(app, as_user):
    c, other = db_.campaign(), db_.campaign()
    d1, _ = submitted(c, [("Nguyễn Thị Ánh", "LDTT")])
    d2, _ = submitted(c, [("Trần Văn Đức", "LDTT")])
    d3, _ = submitted(other, [("Lê Thị Quỳnh", "LDTT")], state="accepted")
    office = as_user(b.user(Role.OFFICE))
    html = office.get("/ho-so/?q=nguyen").get_data(as_text=True)
    table = _rows(html, "sent-dossiers")
    assert d1.title in table and d2.title not in table and d3.title not in table
    assert 'value="nguyen"' in html  # the box keeps what was typed
    # The unit's name, without diacritics, and a state filter and a campaign filter.
    unit_word = fold(d2.unit.name).split()[-1]
    table = _rows(office.get(f"/ho-so/?q={unit_word}").get_data(as_text=True), "sent-dossiers")
    assert d2.title in table
    table = _rows(office.get("/ho-so/?trang-thai=accepted").get_data(as_text=True), "sent-dossiers")
    assert d3.title in table and d1.title not in table
    table = _rows(office.get(f"/ho-so/?dot={c.id}").get_data(as_text=True), "sent-dossiers")
    assert d1.title in table and d2.title in table and d3.title not in table
    # Sorting by unit: the units' order.
    table = _rows(office.get("/ho-so/?sap-xep=don-vi").get_data(as_text=True), "sent-dossiers")
    shown = [t for t in (d1.title, d2.title, d3.title) if t in table]
    assert sorted(shown, key=table.index) == shown
    # Bad values are ignored, never a 500; a control character is a 400.
    for query in ("sap-xep=x", "trang-thai=nope", "dot=abc", "don-vi=-1", "q=" + "a" * 5000):
        assert office.get(f"/ho-so/?{query}").status_code == 200, query
    assert office.get("/ho-so/?q=a%00b").status_code == 400


def test_dossier_pages_keep_the_filters(app, as_user):
    c = db_.campaign()
    for _ in range(51):
        db_.dossier(b.unit(), c, state="submitted")
    office = as_user(b.user(Role.OFFICE))
    html = office.get(f"/ho-so/?dot={c.id}&trang-thai=submitted&sap-xep=cu").get_data(as_text=True)
    links = _links(html)
    assert links and all(
        f"dot={c.id}" in u and "trang-thai=submitted" in u and "sap-xep=cu" in u for u in links
    )


def test_a_unit_head_still_sees_only_the_own_unit(app, as_user):
    c = db_.campaign()
    mine, head = submitted(c, [("Nguyễn Văn Hải", "LDTT")])
    theirs, _ = submitted(c, [("Nguyễn Thị Hoa", "LDTT")])
    client = as_user(head)
    for query in ("", "?q=nguyen", f"?don-vi={theirs.unit_id}", "?trang-thai=submitted"):
        html = client.get(f"/ho-so/{query}").get_data(as_text=True)
        assert theirs.title not in html, query
        assert 'data-testid="sent-dossiers"' not in html
    html = client.get("/ho-so/?q=nguyen").get_data(as_text=True)
    assert mine.title in _rows(html, "my-dossiers")
    assert mine.title not in client.get("/ho-so/?q=khong-co-ai").get_data(as_text=True)


def test_decisions_search_filter_and_scoping(app, as_user):
    office, director, _ = people()
    c, d, unit = approved(3)
    issued = decision_ops.draft(office, c)
    db.session.commit()
    decision_ops.sign(director, issued, version=issued.version)
    decision_ops.issue(clerk(), issued, version=issued.version)
    c2, _, other_unit = approved(2, unit=b.unit(name="Thanh tra Sở", code="TTRA"))
    draft = decision_ops.draft(office, c2)
    db.session.commit()
    client = as_user(office)
    html = client.get("/quyet-dinh/?q=phuong").get_data(as_text=True)  # an awardee only there
    assert f"/quyet-dinh/{issued.id}" in html and f"/quyet-dinh/{draft.id}" not in html
    html = client.get("/quyet-dinh/?trang-thai=draft").get_data(as_text=True)
    assert f"/quyet-dinh/{draft.id}" in html and f"/quyet-dinh/{issued.id}" not in html
    html = client.get(f"/quyet-dinh/?nam={issued.year}&sap-xep=so").get_data(as_text=True)
    assert 'value="so" selected' in html
    for query in ("nam=abc", "nam=99999", "sap-xep=zzz", "trang-thai=x", "dot=-3"):
        assert client.get(f"/quyet-dinh/?{query}").status_code == 200
    # A unit sees only issued decisions that award it, whatever it searches for.
    head = as_user(b.user(Role.UNIT_HEAD, unit_obj=other_unit))
    for query in ("", "?q=nguyen", "?trang-thai=draft", f"?dot={c2.id}"):
        html = head.get(f"/quyet-dinh/{query}").get_data(as_text=True)
        assert f"/quyet-dinh/{draft.id}" not in html and f"/quyet-dinh/{issued.id}" not in html
    head = as_user(b.user(Role.UNIT_HEAD, unit_obj=unit))
    assert f"/quyet-dinh/{issued.id}" in head.get("/quyet-dinh/?q=nguyen").get_data(as_text=True)


def _record(name, year, unit, code="LDTT", kind=NomineeKind.INDIVIDUAL):
    db.session.add(
        AwardRecord(
            year=year,
            kind=kind,
            unit_id=unit.id,
            name=name,
            name_folded=fold(name),
            award_code=code,
            award_name={"LDTT": "Lao động tiên tiến", "GK_TT": "Giấy khen"}[code],
            source="import",
        )
    )


def test_history_filters_sort_and_pages_keep_them(app, as_user):
    unit, other = b.unit(name="Phòng Quản lý Khoa học"), b.unit(name="Chi cục TĐC")
    for i in range(55):
        _record(f"Nguyễn Văn Thắng {i}", 2020 + i % 3, unit)
    _record("Trần Thị Thủy", 2024, other)
    _record("Chi cục TĐC", 2024, other, code="GK_TT", kind=NomineeKind.COLLECTIVE)
    db.session.commit()
    client = as_user(b.user(Role.OFFICE))
    html = client.get("/lich-su/?q=thuy").get_data(as_text=True)
    assert "Trần Thị Thủy" in html and "Nguyễn Văn Thắng" not in html
    html = client.get("/lich-su/?loai=collective").get_data(as_text=True)
    assert "1 bản ghi" in html
    html = client.get("/lich-su/?hinh_thuc=GK_TT").get_data(as_text=True)
    assert "1 bản ghi" in html
    html = client.get("/lich-su/?q=thang&sap_xep=ten&loai=individual").get_data(as_text=True)
    assert "55 bản ghi" in html
    links = _links(html)
    assert links and all(
        "q=thang" in u and "sap_xep=ten" in u and "loai=individual" in u for u in links
    )
    for query in ("loai=x", "hinh_thuc=NOPE", "sap_xep=1", "nam=x"):
        assert client.get(f"/lich-su/?{query}").status_code == 200
    # Still the Văn phòng's, the Director's and the admin's page only.
    assert as_user(b.user(Role.UNIT_HEAD)).get("/lich-su/?q=thuy").status_code == 403


def test_intake_search_is_folded_and_bad_values_are_ignored(app, as_user):
    c = db_.campaign()
    submitted(c, [("Nguyễn Văn Hải", "LDTT")], unit=b.unit(name="Phòng Quản lý Khoa học"))
    b.unit(name="Văn phòng Sở")
    client = as_user(b.user(Role.OFFICE))
    html = client.get(f"/tiep-nhan/{c.id}?q=quan+ly").get_data(as_text=True)
    assert 'data-unit="Phòng Quản lý Khoa học"' in html and 'data-unit="Văn phòng Sở"' not in html
    assert 'value="quan ly"' in html
    html = client.get(f"/tiep-nhan/{c.id}?trang-thai=none&sap-xep=state").get_data(as_text=True)
    assert 'data-unit="Văn phòng Sở"' in html and 'data-unit="Phòng Quản lý Khoa học"' not in html
    for query in ("trang-thai=zzz", "sap-xep=zzz", "trang=abc"):
        assert client.get(f"/tiep-nhan/{c.id}?{query}").status_code == 200
    assert as_user(b.user(Role.UNIT_HEAD)).get(f"/tiep-nhan/{c.id}?q=x").status_code == 403
