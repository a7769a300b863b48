"""Whether a count passes its award form's threshold: integers only, never floats.

"Từ 90% trở lên" (≥): 27 of 30 passes, 26 of 30 fails → agree * 100 >= pct * base.
"Quá bán" / "trên 50%" (>): 15 of 30 fails, 16 passes → agree * 100 > pct * base.
"""

from __future__ import annotations

from ..enums import ThresholdBase


def passes(agree: int, base: int, pct: int, strict: bool) -> bool:
    if base <= 0:
        return False
    return agree * 100 > pct * base if strict else agree * 100 >= pct * base


def base_for(kind: str, *, members: int, present: int, valid: int) -> int:
    return {
        ThresholdBase.MEMBERS: members,
        ThresholdBase.PRESENT: present,
        ThresholdBase.VALID: valid,
    }[ThresholdBase(kind)]


def percent(agree: int, base: int) -> str:
    """For display only ("90,0%"): the decision above never uses it."""
    if base <= 0:
        return "—"
    return f"{agree * 1000 // base / 10:.1f}%".replace(".", ",")
