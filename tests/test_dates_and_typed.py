"""Issue 16 (a) on the server: dates read dd/mm/yyyy whatever the browser, impossible dates
refused with the reason, and what was typed shown again after a refusal."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossier.extensions import db
from dossier.nominations.models import Dossier
from dossier.params import DATE_MAX, DATE_MIN, DateError, date_message, parse_date, read_date
from tests.flow_builders import ready_dossier


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("05/12/2026", date(2026, 12, 5)),
        ("5/1/2026", date(2026, 1, 5)),
        ("05-12-2026", date(2026, 12, 5)),
        ("05.12.2026", date(2026, 12, 5)),
        (" 29/02/2028 ", date(2028, 2, 29)),
        ("2026-12-05", date(2026, 12, 5)),  # ISO: scripts, old links
        ("", None),
    ],
)
def test_dates_are_read_day_first(raw, expected):
    assert read_date(raw) == expected


@pytest.mark.parametrize(
    "raw, words",
    [
        ("31/02/2026", "không có ngày 31/02/2026, tháng 2 năm 2026 chỉ có 28 ngày"),
        ("29/02/2026", "tháng 2 năm 2026 chỉ có 28 ngày"),
        ("31/04/2026", "tháng 4 năm 2026 chỉ có 30 ngày"),
        ("00/01/2026", "không có ngày 00/01/2026"),
        ("12/13/2026", "không có tháng 13"),
        ("01/01/1899", "năm 1899 nằm ngoài khoảng 1900–2100"),
        ("12/02", "không theo dạng ngày/tháng/năm"),
        ("ngày mai", "không theo dạng ngày/tháng/năm"),
        ("٠٥/١٢/٢٠٢٦", "không theo dạng ngày/tháng/năm"),  # digits, but not ASCII ones
    ],
)
def test_impossible_dates_are_refused_with_the_reason(raw, words):
    with pytest.raises(DateError) as err:
        read_date(raw)
    assert str(err.value).startswith("Ngày không hợp lệ: ") and words in str(err.value)
    assert parse_date(raw) is None
    assert date_message(raw, "Ngày họp").startswith("Ngày họp không hợp lệ: ")


@given(st.dates(min_value=DATE_MIN, max_value=DATE_MAX))
def test_every_date_shown_dd_mm_yyyy_reads_back_as_itself(day):
    assert read_date(day.strftime("%d/%m/%Y")) == day
    assert read_date(f"{day.day}/{day.month}/{day.year}") == day


@given(
    st.integers(min_value=1900, max_value=2100),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0, max_value=99),
)
def test_a_day_the_month_does_not_have_is_refused(year, month, day):
    last = calendar.monthrange(year, month)[1]
    raw = f"{day:02d}/{month:02d}/{year}"
    if 1 <= day <= last:
        assert read_date(raw) == date(year, month, day)
    else:
        with pytest.raises(DateError):
            read_date(raw)


def test_dossier_page_shows_dates_dd_mm_yyyy_in_text_fields(app, as_user):
    d, head = ready_dossier()
    d.letter_date = date(2026, 12, 2)
    db.session.commit()
    html = as_user(head).get(f"/ho-so/{d.id}").get_data(as_text=True)
    assert 'type="date"' not in html
    assert 'name="letter_date" placeholder="dd/mm/yyyy"' in html
    assert 'value="02/12/2026"' in html and "data-datepicker" in html


def test_refused_minutes_keep_what_was_typed_beside_their_section(app, as_user):
    d, head = ready_dossier()
    db.session.commit()
    n = d.nominees[0]
    client = as_user(head)
    form = {
        "version": d.version,
        "meeting_date": "31/02/2026",
        "chair": "Nguyễn Văn Thắng",
        "secretary": "Phạm Thu Ánh",
        "present": "8",
        "total": "9",
        f"for_{n.id}": "10",
        f"against_{n.id}": "1",
    }
    resp = client.post(f"/ho-so/{d.id}/bien-ban", form, page=f"/ho-so/{d.id}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'data-section="bien-ban"' in html  # app.js puts the messages in that section
    assert "Ngày họp không hợp lệ: không có ngày 31/02/2026" in html
    assert 'value="31/02/2026"' in html and 'value="Nguyễn Văn Thắng"' in html
    assert f'name="for_{n.id}" value="10"' in html

    # A valid date, but more votes than people present: the operation refuses (409).
    resp = client.post(
        f"/ho-so/{d.id}/bien-ban", {**form, "meeting_date": "27/11/2026"}, page=f"/ho-so/{d.id}"
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "vượt quá số người dự họp (8)" in html
    assert f'name="for_{n.id}" value="10"' in html and 'value="27/11/2026"' in html
    db.session.expire_all()
    saved = db.session.get(Dossier, d.id)
    assert saved.meeting_chair != "Nguyễn Văn Thắng"  # nothing was saved

    # Corrected: saved, and the page shows the stored date dd/mm/yyyy.
    form = {**form, "meeting_date": "27/11/2026", f"for_{n.id}": "7"}
    resp = client.post(f"/ho-so/{d.id}/bien-ban", form, page=f"/ho-so/{d.id}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#bien-ban")
    db.session.expire_all()
    assert db.session.get(Dossier, d.id).meeting_date == date(2026, 11, 27)
