"""Whether a count passes its award form's threshold: integers only, never floats.

"Từ 90% trở lên" (≥): 27 of 30 passes, 26 of 30 fails → agree * 100 >= pct * base.
"Quá bán" / "trên 50%" (>): 15 of 30 fails, 16 passes → agree * 100 > pct * base.
The rule (pct, strict, base) is data on each award form; the base is chosen in count.py.
"""

from __future__ import annotations

from ..errors import DomainError


def passes(agree: int, base: int, pct: int, strict: bool) -> bool:
    if base <= 0:
        return False
    return agree * 100 > pct * base if strict else agree * 100 >= pct * base


def threshold_words(pct: int, strict: bool) -> str:
    """ "trên 50%" or "từ 70% trở lên", as the minutes print the rule."""
    return f"trên {pct}%" if strict else f"từ {pct}% trở lên"


def percent(agree: int, base: int) -> str:
    """For display only ("90,0%", rounded down): the decision above never uses it.
    A share above 100% cannot be shown: it would mean the base leaves out some voters."""
    if base <= 0:
        return "—"
    if not 0 <= agree <= base:
        raise DomainError(f"Tỷ lệ không hợp lý: {agree} phiếu đồng ý trên cơ sở {base} người.")
    return f"{agree * 1000 // base / 10:.1f}%".replace(".", ",")


def shown(agree: int, base: int) -> str:
    """percent() for pages and minutes: a count stored before the base was fixed (issue 14)
    may hold more agree than base; it is shown as invalid, never as a share above 100%."""
    try:
        return percent(agree, base)
    except DomainError:
        return "không hợp lệ"
