"""Reading spreadsheet cells the same way in every import: text (NFC, one space), a year,
a date (a real date cell or dd/mm/yyyy text). No database."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from ..text import nfc

DATE_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # the common case first: a million cells in a whole archive
        return " ".join(unicodedata.normalize("NFC", value).split())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    return " ".join(nfc(str(value)).split())


def cell_year(value) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip(), re.ASCII):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10000:
        return value
    return None


def cell_date(value) -> date | None:
    """A real date cell, or dd/mm/yyyy text; ValueError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE_RE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError
    day, month, year = (int(g) for g in match.groups())
    return date(year, month, day)  # ValueError for 31/02/2024
