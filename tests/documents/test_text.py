"""NĐ 30 date and number conventions, and NFC."""

import datetime as dt
import unicodedata

import pytest

from dossier.documents.text import doc_number, nfc, place_date_line, vn_date


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (dt.date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (dt.date(2022, 3, 15), "ngày 15 tháng 3 năm 2022"),
        (dt.date(2024, 2, 29), "ngày 29 tháng 02 năm 2024"),
        (dt.date(2025, 10, 9), "ngày 09 tháng 10 năm 2025"),
        (dt.date(2025, 12, 31), "ngày 31 tháng 12 năm 2025"),
        (dt.datetime(2026, 1, 5, 14, 30), "ngày 05 tháng 01 năm 2026"),
        # 18:00 UTC on 4 January is 01:00 on 5 January in Vietnam (UTC+7)
        (dt.datetime(2026, 1, 4, 18, 0, tzinfo=dt.UTC), "ngày 05 tháng 01 năm 2026"),
    ],
)
def test_vn_date(d, expected):
    assert vn_date(d) == expected


def test_place_date_line():
    assert place_date_line("Ninh Thuận", dt.date(2026, 1, 5)) == (
        "Ninh Thuận, ngày 05 tháng 01 năm 2026"
    )
    # A decomposed place name (typed on macOS) comes out composed.
    nfd = unicodedata.normalize("NFD", "Khánh Hòa")
    assert place_date_line(nfd, dt.date(2022, 3, 15)) == "Khánh Hòa, ngày 15 tháng 3 năm 2022"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (5, "Số: 05/QĐ-SKHCN"),
        (15, "Số: 15/QĐ-SKHCN"),
        (1, "Số: 01/QĐ-SKHCN"),
        (123, "Số: 123/QĐ-SKHCN"),
    ],
)
def test_doc_number(n, expected):
    assert doc_number(n, "QĐ", "SKHCN") == expected


def test_doc_number_other_kind():
    assert doc_number(7, "TTr", "VP") == "Số: 07/TTr-VP"


def test_doc_number_rejects_zero():
    with pytest.raises(ValueError):
        doc_number(0, "QĐ", "SKHCN")


def test_nfc():
    composed = "Nguyễn Thị Quỳnh"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert nfc(decomposed) == composed
    assert nfc(composed) is composed  # already NFC: no copy
    assert nfc(None) == "" and nfc("") == ""
