"""Text conventions of Nghị định 30/2020/NĐ-CP (dates, document numbers) and NFC."""

from __future__ import annotations

import datetime as _dt

# One implementation of each convention for the whole app: the web pages and the
# documents must print the same date the same way.
from dossier.text import nfc
from dossier.timeutil import VN_TZ, vn_date

__all__ = ["VN_TZ", "doc_number", "nfc", "place_date_line", "vn_date"]


def place_date_line(place: str, d: _dt.date) -> str:
    """ "Ninh Thuận, ngày 05 tháng 01 năm 2026" (place is a setting, not hard-coded)."""
    return f"{nfc(place).strip()}, {vn_date(d)}"


def doc_number(n: int, kind: str, code: str) -> str:
    """ "Số: 05/QĐ-SKHCN": number with a leading zero below 10, kind, issuing code.

    Numbering restarts every year, so the caller supplies n from the yearly register.
    """
    if n < 1:
        raise ValueError(f"document number must be >= 1, got {n}")
    return f"Số: {n:02d}/{nfc(kind).strip()}-{nfc(code).strip()}"
