"""Thống kê: who sees which figures, the numbers beside each chart against a direct count,
the SVG and XLSX downloads, and the staff's direct-worker flag."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from dossier.enums import Role
from dossier.extensions import db
from dossier.history.models import AwardRecord
from dossier.org.models import Staff, Unit, User
from tests.conftest import Browserless, login

COUNT = re.compile(r'data-key="([^"]*)" data-testid="count">(\d+)<')


@pytest.fixture
def demo(demo_loaded):
    return demo_loaded


def _signed_in(app, username: str) -> Browserless:
    client = app.test_client()
    assert login(client, username, "demo1234").status_code == 302
    return Browserless(client, db.session.scalar(select(User).where(User.username == username)))


def _numbers(html: str, name: str) -> dict[str, int]:
    block = html.split(f'data-testid="numbers-{name}"')[1].split("</table>")[0]
    return {k: int(n) for k, n in COUNT.findall(block)}


def _live(*where) -> int:
    return db.session.scalar(
        select(func.count(AwardRecord.id)).where(AwardRecord.revoked_at.is_(None), *where)
    )


def test_office_sees_every_unit_and_numbers_match_the_database(app, demo):
    client = _signed_in(app, "vanphong")
    html = client.get("/thong-ke/").get_data(as_text=True)
    by_year = _numbers(html, "year")
    assert by_year and all(_live(AwardRecord.year == int(y)) == n for y, n in by_year.items())
    by_unit = _numbers(html, "unit")
    for key, n in by_unit.items():
        assert n == _live(AwardRecord.unit_id == int(key)) if key else True
    assert sum(_numbers(html, "form").values()) == _live()
    women = _numbers(html, "gender").get("female", 0)
    assert women == db.session.scalar(
        select(func.count(AwardRecord.id))
        .join(Staff, Staff.id == AwardRecord.staff_id)
        .where(
            AwardRecord.revoked_at.is_(None),
            AwardRecord.kind == "individual",
            Staff.gender == "female",
        )
    )
    assert 'data-testid="progress-summary"' in html


def test_unit_head_sees_their_unit_only(app, demo):
    client = _signed_in(app, "truongphong.qlkh")
    head = client.user
    (mine,) = head.unit_ids(Role.UNIT_HEAD)
    html = client.get("/thong-ke/").get_data(as_text=True)
    assert set(_numbers(html, "unit")) <= {str(mine)}
    assert sum(_numbers(html, "year").values()) == _live(AwardRecord.unit_id == mine)
    other = db.session.scalar(select(Unit.id).where(Unit.id != mine))
    assert client.get(f"/thong-ke/?don_vi={other}").status_code == 403
    assert client.get(f"/thong-ke/bieu-do/unit.svg?don_vi={other}").status_code == 403


@pytest.mark.parametrize("username,status", [("canbo.qlkh", 403), ("congdoan", 403)])
def test_clerks_and_council_members_have_no_dashboard(app, demo, username, status):
    assert _signed_in(app, username).get("/thong-ke/").status_code == status


def test_chart_svg_and_xlsx(app, demo):
    client = _signed_in(app, "giamdoc")
    svg = client.get("/thong-ke/bieu-do/form.svg?tai=1")
    assert svg.mimetype == "image/svg+xml" and b"<script" not in svg.data
    assert "attachment" in svg.headers["Content-Disposition"]
    assert b'data-count="' in svg.data
    book = load_workbook(BytesIO(client.get("/thong-ke/du-lieu/all.xlsx").data))
    assert {"form", "unit", "year", "gender", "worker"} <= set(book.sheetnames)
    total = book["form"].cell(book["form"].max_row, 3).value
    assert total == _live()
    assert client.get("/thong-ke/bieu-do/progress.svg").status_code == 200


def test_direct_workers_are_counted_apart(app, demo):
    person = db.session.scalar(
        select(Staff).join(AwardRecord, AwardRecord.staff_id == Staff.id).limit(1)
    )
    person.direct_worker = True
    db.session.commit()
    expected = db.session.scalar(
        select(func.count(AwardRecord.id))
        .join(Staff, Staff.id == AwardRecord.staff_id)
        .where(
            AwardRecord.revoked_at.is_(None),
            AwardRecord.kind == "individual",
            Staff.direct_worker.is_(True),
        )
    )
    html = _signed_in(app, "vanphong").get("/thong-ke/").get_data(as_text=True)
    assert _numbers(html, "worker")["true"] == expected >= 1


def test_yearly_report_xlsx_and_pdf_count_the_year(app, demo):
    from dossier.stats import report

    client = _signed_in(app, "vanphong")
    year = db.session.scalar(select(func.max(AwardRecord.year)))
    built = report.build(year)
    assert built.totals()["total"] == _live(AwardRecord.year == year)
    assert built.totals()["collective"] + built.totals()["individual"] == built.totals()["total"]
    book = load_workbook(BytesIO(client.get(f"/thong-ke/bao-cao-nam/{year}.xlsx").data))
    sheet = book.active
    assert sheet.cell(sheet.max_row, 2).value == "Tổng cộng"
    assert sheet.cell(sheet.max_row, 3).value == _live(AwardRecord.year == year)
    pdf = client.get(f"/thong-ke/bao-cao-nam/{year}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_the_report_wording_is_data_the_office_edits(app, demo):
    from dossier.stats import report

    client = _signed_in(app, "vanphong")
    page = client.get("/thong-ke/mau-bao-cao").get_data(as_text=True)
    assert "chưa được đối chiếu" in page
    resp = client.post(
        "/thong-ke/mau-bao-cao",
        data={
            "title": "Thống kê khen thưởng năm {year}",
            "source": "Biểu mẫu đã đối chiếu",
            "level_titles": "A. Giám đốc\nB. Cấp trên\nC. Khác",
            "column_titles": "Tổng\nTập thể\nCá nhân\nNữ\nTrực tiếp",
            "confirmed": "y",
        },
        page="/thong-ke/mau-bao-cao",
    )
    assert resp.status_code == 302
    year = db.session.scalar(select(func.max(AwardRecord.year)))
    rows = report.table(report.build(year))
    assert rows[0][2:] == ["Tổng", "Tập thể", "Cá nhân", "Nữ", "Trực tiếp"]
    assert _signed_in(app, "truongphong.qlkh").get("/thong-ke/mau-bao-cao").status_code == 403
