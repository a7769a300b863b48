"""What comes in through the URL and raw forms: numbers, dates, text, redirect targets.

The policy, the same everywhere:
- an id in the path (`<int:…>`) outside what an id column holds (INTEGER: 32 bits on
  PostgreSQL, so certainly anything beyond 64) is a 404, decided by the URL map before the
  view or the permission check runs;
- a number in the query string (`?page=`, `?nam=`, `?don_vi=` …) that is not plain digits or
  is out of range counts as absent: the list shows page 1, the filter is not applied;
- an id posted in a raw form that is malformed counts as absent (the view's 404);
- text in the query string or the path with a control character is a 400;
- text posted in a raw form goes through `form_text` (the WTForms forms check their own
  fields, see forms.py): a control character is a 422 naming the field;
- a redirect target (`next`) that is not a plain local path becomes the home page.
"""

from __future__ import annotations

import builtins
import calendar
import re
from datetime import date
from urllib.parse import urlsplit

from flask import g, request, session, url_for
from werkzeug.routing import IntegerConverter, ValidationError

from . import routing
from .db import INT_MAX, INT_MIN
from .text import control_char_message, fold, has_control_chars, nfc

# Every id and number column is INTEGER, 32 bits on PostgreSQL (db.INT_MAX): what cannot be
# stored cannot be found either.
DB_INT_MAX, DB_INT_MIN = INT_MAX, INT_MIN
_DB_INT_DIGITS = len(str(DB_INT_MAX))  # 10
# Far beyond any list we show; keeps (page - 1) * page size inside 32 bits.
MAX_PAGE = 1_000_000
# Dates the process can meaningfully hold (birth dates to decision dates).
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2100, 12, 31)


class BadInput(Exception):
    """Malformed input a form or URL should never carry (a control character): HTTP 422.

    Not a DomainError on purpose: views catch those to flash and redirect; this one must
    reach the error handler, which rolls back and answers 422 with the message.
    """

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


class BoundedIntConverter(IntegerConverter):
    """Flask's `int` converter, bounded to what an id column can hold (DB_INT_MAX).

    Registered as `int` for the whole app: `/ho-so/99999999999999999999999` is a 404 from the
    URL map (no view, no permission check, no query that overflows the driver). The length
    test comes first: Python refuses to parse integers of more than 4,300 digits.
    """

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        lo = DB_INT_MIN if signed else 0
        super().__init__(
            map,
            fixed_digits=fixed_digits,
            min=lo if min is None else builtins.max(min, lo),
            max=DB_INT_MAX if max is None else builtins.min(max, DB_INT_MAX),
            signed=signed,
        )

    def to_python(self, value: str) -> int:
        if len(value.lstrip("-")) > _DB_INT_DIGITS or not value.lstrip("-").isascii():
            raise ValidationError()
        return super().to_python(value)


def parse_int(raw: str | None, *, lo: int = 0, hi: int = DB_INT_MAX) -> int | None:
    """Plain ASCII digits (optionally signed when lo < 0) within [lo, hi], else None."""
    if raw is None:
        return None
    raw = raw.strip()
    digits = raw[1:] if raw[:1] in "+-" and lo < 0 else raw
    if not digits or len(digits) > _DB_INT_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    value = int(raw)
    return value if lo <= value <= hi else None


def int_arg(name: str, default: int | None = None, *, lo: int = 0, hi: int = DB_INT_MAX):
    """A number from the query string; absent or malformed → default."""
    value = parse_int(request.args.get(name), lo=lo, hi=hi)
    return default if value is None else value


def page_arg(name: str = "page") -> int:
    """`?page=` / `?trang=`: 1 unless plain digits from 1 to MAX_PAGE."""
    return int_arg(name, 1, lo=1, hi=MAX_PAGE)


def page_within(count: int, per_page: int, name: str = "trang") -> tuple[int, int]:
    """(the page asked for, cut to the last page; the number of pages, at least 1) for a
    list of `count` rows: a page past the end shows the last page, never an empty list
    that reads like "nothing submitted yet"."""
    pages = max((count + per_page - 1) // per_page, 1)
    return min(page_arg(name), pages), pages


MAX_SEARCH = 200  # characters of a search box kept; the rest is ignored


def search_arg(name: str = "q") -> tuple[str, str]:
    """`?q=`: (the text as typed, NFC and trimmed, for the box; its folded form for the
    query: "nguyen" finds "Nguyễn"). A control character never gets here (a 400 before
    every request); an over-long value is cut."""
    raw = nfc(request.args.get(name, ""))[:MAX_SEARCH]
    return raw, fold(raw)


def choice_arg(name: str, choices, default: str = "") -> str:
    """A value from a fixed set (a filter, a sort order); anything else counts as absent."""
    raw = request.args.get(name, "")
    return raw if raw in choices else default


def form_int(name: str, default: int | None = None, *, lo: int = 0, hi: int = DB_INT_MAX):
    """A number (usually an id) from a raw POSTed form; absent or malformed → default."""
    value = parse_int(request.form.get(name), lo=lo, hi=hi)
    return default if value is None else value


def form_ints(name: str) -> list[int]:
    """Every well-formed id posted under `name` (checkbox lists); the rest are dropped."""
    values = (parse_int(raw) for raw in request.form.getlist(name))
    return [v for v in values if v is not None]


class DateError(ValueError):
    """A typed date the calendar does not have or the process cannot hold: its message says why."""


def read_date(raw: str | None) -> date | None:
    """A date typed dd/mm/yyyy (what every date field shows, whatever the browser's language).

    Also accepted: d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy and ISO yyyy-mm-dd (scripts, old links).
    Empty → None. Anything else → DateError with a Vietnamese message naming what is wrong:
    "31/02/2026" is refused because February 2026 has 28 days, not silently moved to March.
    """
    text = (raw or "").strip()
    if not text:
        return None
    match = _ISO_DATE.fullmatch(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _VN_DATE.fullmatch(text)
        if not match:
            raise DateError(
                f"Ngày không hợp lệ: «{text[:20]}» không theo dạng ngày/tháng/năm "
                "(ví dụ 05/12/2026)."
            )
        day, month, year = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        raise DateError(f"Ngày không hợp lệ: không có tháng {month} (tháng từ 1 đến 12).")
    if not DATE_MIN.year <= year <= DATE_MAX.year:
        raise DateError(
            f"Ngày không hợp lệ: năm {year} nằm ngoài khoảng {DATE_MIN.year}–{DATE_MAX.year}."
        )
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateError(
            f"Ngày không hợp lệ: không có ngày {day:02d}/{month:02d}/{year}, "
            f"tháng {month} năm {year} chỉ có {last} ngày."
        )
    return date(year, month, day)


def parse_date(raw: str | None) -> date | None:
    """A date (dd/mm/yyyy, or ISO) between 1900 and 2100, else None; see read_date."""
    try:
        return read_date(raw)
    except DateError:
        return None


def date_message(raw: str | None, label: str) -> str:
    """Why `raw` is not a date, prefixed with the field's label (empty counts as missing)."""
    try:
        value = read_date(raw)
    except DateError as err:
        return f"{label} không hợp lệ: " + str(err).removeprefix("Ngày không hợp lệ: ")
    return "" if value else f"{label}: chưa nhập ngày (ngày/tháng/năm)."


_VN_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


def check_text(value: str, label: str, *, multiline: bool = False) -> str:
    """The text, NFC; a control character (tab/newline too unless multiline) → BadInput."""
    if has_control_chars(value, multiline=multiline):
        raise BadInput(control_char_message(label, multiline=multiline))
    return nfc(value)


def form_text(name: str, label: str, *, multiline: bool = False, max_len: int | None = None) -> str:
    """Text from a raw POSTed form: checked (see check_text), trimmed, cut to max_len."""
    value = check_text(request.form.get(name, ""), label, multiline=multiline)
    return value[:max_len] if max_len is not None else value


def form_texts(name: str, label: str, *, multiline: bool = False) -> list[str]:
    return [check_text(v, label, multiline=multiline) for v in request.form.getlist(name)]


_TYPED = "_typed"


def keep_typed(*names: str) -> None:
    """Remember what was typed in a raw form refused before a redirect: the page that
    follows shows it again (`typed()` in templates) instead of empty fields."""
    session[_TYPED] = {name: request.form.get(name, "")[:2000] for name in names}


def typed(name: str, default: str = "") -> str:
    """What was typed in `name` before the last refusal (once: the next page forgets it)."""
    if _TYPED not in g:
        g._typed = session.pop(_TYPED, None) or {}
    return g._typed.get(name, default)


def safe_next(target: str | None) -> str:
    """A local path to go back to after sign-in, or the home page.

    Refused: anything with a control character (CR/LF would split the Location header), a
    backslash (browsers read `/\\evil` as `//evil`), a scheme or a host (`//evil`,
    `javascript:`), or not starting with a single "/".
    """
    home = url_for("home.index")
    if not target or has_control_chars(target, multiline=False) or "\\" in target:
        return home
    if not target.startswith("/") or target.startswith("//"):
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return home
    return target


_CHECKED_ELSEWHERE = {"next"}  # safe_next turns a bad target into the home page


def _refuse_control_chars_in_url() -> None:
    """Before every request: no control character (NUL included) in the query or the path.

    Such a value can only be forged; it would otherwise reach a query (PostgreSQL refuses
    NUL in text: a 500) or a header.
    """
    for key, values in request.args.lists():
        if key in _CHECKED_ELSEWHERE:
            continue
        if any(has_control_chars(v) for v in (key, *values)):
            raise BadInput(
                "Địa chỉ trang chứa ký tự điều khiển không hợp lệ (tham số «"
                + key.encode("unicode_escape").decode("ascii")[:40]
                + "»).",
                status=400,
            )
    if has_control_chars(request.path):
        raise BadInput("Địa chỉ trang chứa ký tự điều khiển không hợp lệ.", status=400)


def init_app(app) -> None:
    """Install the bounded `int` converter (before any route is added) and the URL guard."""
    app.url_map.converters["int"] = BoundedIntConverter
    routing.init_app(app)  # URL builders compiled on first use, not at the start
    app.before_request(_refuse_control_chars_in_url)
