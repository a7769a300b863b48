"""The award history once recorded: the register of awards, titles by year, the person
and unit pages and who sees them, revocation, search, the demo (split from
test_history.py)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from dossier import audit
from dossier.enums import NomineeKind, Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.history import demo, operations
from dossier.history.models import AwardRecord
from dossier.history.queries import titles_by_year
from dossier.text import fold
from tests import builders as b
from tests.dossier_builders import flashes
from tests.history_builders import QLKH
from tests.history_builders import org as org  # the fixture
from tests.history_builders import wired as wired  # the fixture (autouse)


def record(staff, year, code="LDTT", **kw) -> AwardRecord:
    return operations.record_award(year=year, staff=staff, award_code=code, **kw)


def test_record_award_takes_the_register_and_is_idempotent_per_decision(app, org):
    first = record(org.duc, 2025, decision_id=7, decision_number="5/QĐ-SKHCN")
    assert (first.name, first.unit_id, first.birth_date, first.source) == (
        "Nguyễn Văn Đức",
        org.qlkh.id,
        date(1985, 3, 15),
        "decision",
    )
    assert first.award_name == "Lao động tiên tiến" and first.name_folded == "nguyen van duc"
    assert record(org.duc, 2025, decision_id=7) is first
    with pytest.raises(DomainError, match="mã «KHONGCO»"):
        record(org.duc, 2025, "KHONGCO")


def test_titles_by_year_ignores_revoked_and_one_off(app, org):
    record(org.duc, 2024)
    revoked = record(org.duc, 2024, "CSTDCS")
    operations.revoke(org.office, revoked, "Quyết định thu hồi số 3/QĐ-SKHCN: kê khai sai.")
    record(org.duc, 2023, "CSTDCS", counts_as_basis=False)
    record(org.duc, 2022, "CSTDCS")
    operations.record_award(
        year=2023, name="Nguyễn Văn Đức", award_code="LDTT", source="import"
    )  # archive row tied to nobody
    out = titles_by_year(
        staff_ids={org.duc.id},
        folded_names={"nguyen van duc"},
        codes={"LDTT", "CSTDCS"},
        years={2022, 2023, 2024},
    )
    assert out[("staff", org.duc.id)] == {2024: {"LDTT"}, 2022: {"CSTDCS"}}
    # The archive row tied to nobody counts only for a namesake of the same unit (none here).
    assert out[("name", "nguyen van duc", None)] == {2023: {"LDTT"}}


def test_person_page_by_year_with_revoked_and_one_off(app, as_user, org):
    record(org.duc, 2023, "LDTT")
    record(org.duc, 2025, "LDTT", decision_number="201/QĐ-SKHCN", decision_date=date(2025, 12, 24))
    record(org.duc, 2024, "GK_CN", counts_as_basis=False, award_name="Giấy khen đột xuất")
    wrong = record(org.duc, 2024, "CSTDCS")
    operations.revoke(org.office, wrong, "Theo Quyết định số 9/QĐ-SKHCN: sáng kiến không có thật.")
    db.session.commit()
    html = as_user(org.office).get(f"/lich-su/ca-nhan/{org.duc.id}").get_data(as_text=True)
    assert [int(y) for y in _attr(html, "data-year")] == [2025, 2024, 2023]
    assert "Quyết định số 201/QĐ-SKHCN ngày 24/12/2025" in html
    assert "<del><strong>Chiến sĩ thi đua cơ sở</strong>" in html and "Đã thu hồi" in html
    assert "Lý do: Theo Quyết định số 9/QĐ-SKHCN: sáng kiến không có thật." in html
    assert "Giấy khen đột xuất" in html and "không dùng làm căn cứ" in html
    assert html.count('data-testid="revoke-form"') == 3  # every award not yet revoked


def _attr(html: str, name: str) -> list[str]:
    import re

    return re.findall(rf'{name}="([^"]+)"', html)


def test_who_sees_which_page(app, as_user, org):
    own = as_user(b.user(Role.UNIT_HEAD, unit_obj=org.qlkh))
    other = as_user(b.user(Role.UNIT_HEAD, unit_obj=org.tdc))
    office, director = as_user(org.office), as_user(b.user(Role.DIRECTOR))
    person, unit = f"/lich-su/ca-nhan/{org.duc.id}", f"/lich-su/don-vi/{org.qlkh.id}"
    assert other.get(person).status_code == 403 and other.get(unit).status_code == 403
    assert own.get(person).status_code == 200 and own.get(unit).status_code == 200
    for client in (office, director):
        assert [client.get(u).status_code for u in (person, unit, "/lich-su/")] == [200] * 3
    assert own.get("/lich-su/").status_code == 403
    assert own.get("/lich-su/mau.xlsx").status_code == 403
    assert director.get("/lich-su/mau.xlsx").status_code == 403
    assert office.get("/lich-su/don-vi/999999").status_code == 404
    assert office.get("/lich-su/ca-nhan/999999").status_code == 404


def test_every_history_route_is_guarded(app, client):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("history.")]
    assert len(rules) == 6
    for rule in rules:
        assert hasattr(app.view_functions[rule.endpoint], "_access"), rule.endpoint
        url = rule.build({arg: 1 for arg in rule.arguments}, append_unknown=False)[1]
        if "GET" in rule.methods:
            assert "/dang-nhap" in client.get(url).headers["Location"]


def test_revoke_needs_a_reason_and_the_office(app, as_user, org):
    award = record(org.duc, 2024, "CSTDCS")
    db.session.commit()
    url, page = f"/lich-su/ban-ghi/{award.id}/thu-hoi", f"/lich-su/ca-nhan/{org.duc.id}"
    office = as_user(org.office)
    resp = office.post(url, {"reason": "   "}, page=page)
    assert resp.headers["Location"].endswith(page)
    assert "Cần ghi lý do thu hồi" in flashes(office)[0][1] and not award.revoked
    head = as_user(b.user(Role.UNIT_HEAD, unit_obj=org.qlkh))
    assert head.post(url, {"reason": "Sai."}, page=page).status_code == 403
    office.post(url, {"reason": "Quyết định số 4/QĐ-SKHCN: kê khai sai sáng kiến."}, page=page)
    db.session.refresh(award)
    assert award.revoked and award.revoked_reason.startswith("Quyết định số 4/QĐ-SKHCN")
    [event] = audit.timeline("award_record", award.id)
    assert event.action == "award_revoked" and event.actor_id == org.office.id
    with pytest.raises(DomainError, match="đã bị thu hồi"):
        operations.revoke(org.office, award, "Lần nữa.")


def test_search_is_accent_insensitive_filtered_and_paginated(app, as_user, org):
    record(org.duc, 2024)
    record(org.hoa, 2023)
    assert demo.bulk_history(120) == 120
    db.session.commit()
    client = as_user(org.office)
    html = client.get("/lich-su/?q=NGUYEN+VAN+DUC").get_data(as_text=True)
    assert f'href="/lich-su/ca-nhan/{org.duc.id}"' in html and "Trần Thị Hoa" not in html
    url = f"/lich-su/?q=tran+thi+hoa&nam=2023&don_vi={org.tdc.id}"
    html = client.get(url).get_data(as_text=True)
    assert "Trần Thị Hoa" in html and "1 bản ghi" in html
    html = client.get("/lich-su/?page=2").get_data(as_text=True)
    assert "122 bản ghi, trang 2/3" in html and html.count("<tr><td>") == 50


def test_demo_history_is_deterministic_idempotent_and_plants_each_rule(app):
    [note] = demo.build_history()
    assert "bản ghi" in note
    assert demo.build_history() == ["Lịch sử khen thưởng mẫu đã có sẵn, không tạo thêm."]
    from dossier.demo_org import build_org

    people = build_org()
    last = demo.campaign_year() - 1
    ids = {key: people[key].id for key in ("QLKH:1", "TDC:1", "TTUD:1", "QLCN:1")}
    out = titles_by_year(
        staff_ids=set(ids.values()),
        folded_names=set(),
        codes={"CSTDCS"},
        years=set(range(last - 4, last + 1)),
    )

    def years(key):
        return sorted(y for y, codes in out[("staff", ids[key])].items() if "CSTDCS" in codes)

    assert years("QLKH:1") == years("TDC:1") == [last - 1, last]
    assert years("TTUD:1") == [last - 2, last - 1, last]
    assert years("QLCN:1") == [last]
    revoked = db.session.scalars(select(AwardRecord).where(AwardRecord.revoked_at.is_not(None)))
    assert [r.staff_id for r in revoked] == [ids["QLCN:1"]]
    assert db.session.scalar(select(func.count()).where(~AwardRecord.counts_as_basis)) == 3
    [kept] = db.session.scalars(select(AwardRecord).where(AwardRecord.award_code.is_(None)))
    assert fold(kept.award_name).startswith("ky niem chuong")


def test_unit_page_shows_collective_and_people_by_year(app, as_user, org):
    operations.record_award(
        year=2024, kind=NomineeKind.COLLECTIVE, name=QLKH, unit_id=org.qlkh.id, award_code="TTLDTT"
    )
    record(org.duc, 2024)
    record(org.duc, 2024, "CSTDCS")
    record(org.duc, 2023)
    record(org.hoa, 2024)  # another unit's
    db.session.commit()
    head = as_user(b.user(Role.UNIT_HEAD, unit_obj=org.qlkh))
    html = head.get(f"/lich-su/don-vi/{org.qlkh.id}").get_data(as_text=True)
    assert [int(y) for y in _attr(html, "data-year")] == [2024, 2023]
    assert "Tập thể lao động tiên tiến" in html and "Trần Thị Hoa" not in html
    assert html.count(f'href="/lich-su/ca-nhan/{org.duc.id}"') == 2  # one line a year
    assert 'data-testid="revoke-form"' not in html  # revoking is the Văn phòng's


def test_search_counts_and_pages_only_up_to_the_cap(app, as_user, org, monkeypatch):
    """Province size (issue 17): past the cap the page says "Hơn …", its pages stop there
    and a deeper ?page= shows the last of them; the rows stay in the index's order."""
    from dossier.history import views

    assert demo.bulk_history(130) == 130
    db.session.commit()
    monkeypatch.setattr(views, "SEARCH_CAP", 100)
    client = as_user(org.office)
    html = client.get("/lich-su/").get_data(as_text=True)
    assert "Hơn 100 bản ghi, trang 1/2" in html and html.count("<tr><td>") == 50
    deep = client.get("/lich-su/?page=9").get_data(as_text=True)
    assert "trang 2/2" in deep and deep.count("<tr><td>") == 50
    years = [int(y) for y in re.findall(r"<tr><td>(\d{4})</td>", html)]
    assert years == sorted(years, reverse=True)
    monkeypatch.setattr(views, "SEARCH_CAP", 10_000)
    assert "130 bản ghi, trang 1/3" in client.get("/lich-su/").get_data(as_text=True)
