"""Text conventions of Nghị định 30/2020/NĐ-CP (dates, document numbers) and NFC."""

from __future__ import annotations

import datetime as _dt
import unicodedata
from zoneinfo import ZoneInfo

# Documents are dated in Vietnam's time: an aware 23:30 UTC timestamp is the next day.
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def nfc(s: str | None) -> str:
    """NFC-normalise (None -> "").

    Typed or pasted Vietnamese is often decomposed (NFD, e.g. from macOS or Word);
    reportlab then draws base letters with loose combining marks, and comparisons with
    the database fail. Every string that reaches a PDF goes through here.
    """
    if not s:
        return ""
    return s if unicodedata.is_normalized("NFC", s) else unicodedata.normalize("NFC", s)


def vn_date(d: _dt.date) -> str:
    """"ngày 05 tháng 01 năm 2026", "ngày 15 tháng 3 năm 2022".

    NĐ 30 (Phụ lục I): days below 10 and the months 1 and 2 take a leading zero (so
    the date cannot be altered by writing a digit in front); other months do not.
    Aware datetimes are converted to Vietnam time first; naive ones are taken as local.
    """
    if isinstance(d, _dt.datetime):
        d = (d.astimezone(VN_TZ) if d.tzinfo is not None else d).date()
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def place_date_line(place: str, d: _dt.date) -> str:
    """"Ninh Thuận, ngày 05 tháng 01 năm 2026" (place is a setting, not hard-coded)."""
    return f"{nfc(place).strip()}, {vn_date(d)}"


def doc_number(n: int, kind: str, code: str) -> str:
    """"Số: 05/QĐ-SKHCN": number with a leading zero below 10, kind, issuing code.

    Numbering restarts every year, so the caller supplies n from the yearly register.
    """
    if n < 1:
        raise ValueError(f"document number must be >= 1, got {n}")
    return f"Số: {n:02d}/{nfc(kind).strip()}-{nfc(code).strip()}"
