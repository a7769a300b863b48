"""Issue 18 in Chromium: the dashboard as the Văn phòng and as a unit head; the numbers
under each chart equal a count made directly in the database; the charts load (SVG) and
nothing breaks the CSP. The API's reference page (Swagger UI, vendored) runs under it too."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dossier.enums import Role
from dossier.extensions import db
from dossier.history.models import AwardRecord
from dossier.org.models import Staff, User
from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("pages")]


def _numbers(page, name: str) -> dict[str, int]:
    cells = page.locator(f"[data-testid=numbers-{name}] [data-testid=count]")
    return {
        cells.nth(i).get_attribute("data-key"): int(cells.nth(i).inner_text())
        for i in range(cells.count())
    }


def _count(app, *where, join_staff: bool = False) -> int:
    with app.app_context():
        stmt = select(func.count(AwardRecord.id)).where(AwardRecord.revoked_at.is_(None), *where)
        if join_staff:
            stmt = stmt.join(Staff, Staff.id == AwardRecord.staff_id)
        return db.session.scalar(stmt)


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def _charts_loaded(page) -> None:
    for img in page.locator("[data-testid^=chart-] img").all():
        assert img.evaluate("i => i.complete && i.naturalWidth > 0"), img.get_attribute("src")


def test_office_dashboard_numbers_equal_the_database(page, live_server):
    base, app = live_server
    problems = _watch(page)
    sign_in(page, base, "vanphong")
    with page.expect_navigation(wait_until="load"):  # its charts are <img>: loaded by then
        page.click("nav >> text=Thống kê")
    shot(page, "stats-office")
    for y, n in _numbers(page, "year").items():
        assert n == _count(app, AwardRecord.year == int(y)), y
    for key, n in _numbers(page, "unit").items():
        if key:
            assert n == _count(app, AwardRecord.unit_id == int(key)), key
    forms = _numbers(page, "form")
    for code, n in forms.items():
        # Archive rows without a known form code are grouped by the award's name.
        key = func.coalesce(AwardRecord.award_code, AwardRecord.award_name)
        assert n == _count(app, key == code), code
    individual = AwardRecord.kind == "individual"
    for gender, n in _numbers(page, "gender").items():
        if gender in ("male", "female"):
            assert n == _count(app, individual, Staff.gender == gender, join_staff=True)
    workers = _numbers(page, "worker")
    assert workers["true"] == _count(app, individual, Staff.direct_worker, join_staff=True)
    assert int(page.inner_text("[data-testid=chart-form] [data-testid=total]")) == _count(app)
    _charts_loaded(page)
    assert not problems, problems


def test_unit_head_dashboard_is_their_unit(page, live_server):
    base, app = live_server
    problems = _watch(page)
    sign_in(page, base, "truongphong.qlkh")
    page.goto(f"{base}/thong-ke/")
    shot(page, "stats-unit-head")
    with app.app_context():
        head = db.session.scalar(select(User).where(User.username == "truongphong.qlkh"))
        (mine,) = head.unit_ids(Role.UNIT_HEAD)
    assert set(_numbers(page, "unit")) <= {str(mine)}
    for y, n in _numbers(page, "year").items():
        assert n == _count(app, AwardRecord.year == int(y), AwardRecord.unit_id == mine)
    assert page.locator("#don_vi").count() == 0  # no other unit to choose
    _charts_loaded(page)
    assert not problems, problems


def test_api_reference_page_runs_under_the_csp(page, live_server):
    base, _ = live_server
    problems = _watch(page)
    page.goto(f"{base}/api/v1/tai-lieu")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    assert "/api/v1/decisions" in page.inner_text("#swagger-ui")
    shot(page, "api-reference")
    assert not problems, problems
