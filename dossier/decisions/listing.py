"""The decisions list's search, filters and sort from the URL (GET, bookmarkable).

The list is first cut to what the user may see (`can(VIEW_DECISION, d)`, as before: a
unit sees only issued decisions that award it); these only narrow and order that.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..params import choice_arg, int_arg, search_arg
from ..states import DecisionState
from ..text import fold

SORTS = {
    "": "Theo trạng thái, số",  # the list's order before it had a sort
    "moi": "Mới lập trước",
    "so": "Theo số quyết định",
    "trich-yeu": "Theo trích yếu",
}
STATES = {"": "Mọi trạng thái", **{s.value: s.title_vi for s in DecisionState}}


@dataclass(frozen=True)
class DecisionFilter:
    q: str = ""
    folded: str = ""
    state: str = ""
    year: int | None = None
    campaign_id: int | None = None
    sort: str = ""

    @classmethod
    def from_args(cls) -> DecisionFilter:
        q, folded = search_arg("q")
        return cls(
            q=q,
            folded=folded,
            state=choice_arg("trang-thai", STATES),
            year=int_arg("nam", lo=1900, hi=2100),
            campaign_id=int_arg("dot"),
            sort=choice_arg("sap-xep", SORTS),
        )

    @property
    def args(self) -> dict:
        pairs = {
            "q": self.q,
            "trang-thai": self.state,
            "nam": self.year,
            "dot": self.campaign_id,
            "sap-xep": self.sort,
        }
        return {k: v for k, v in pairs.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.q or self.state or self.year or self.campaign_id)

    def matches(self, d) -> bool:
        if self.state and d.state != self.state:
            return False
        if self.year and d.year != self.year:
            return False
        if self.campaign_id and d.campaign_id != self.campaign_id:
            return False
        if self.folded:
            number = f"{d.number:02d}/qd" if d.number else ""
            haystack = [fold(d.subject), number, *(fold(a.name) for a in d.awards)]
            return any(self.folded in h for h in haystack)
        return True

    def apply(self, decisions: list) -> list:
        shown = [d for d in decisions if self.matches(d)]
        if self.sort == "so":
            return sorted(shown, key=lambda d: (-d.year, d.number is None, -(d.number or 0)))
        if self.sort == "trich-yeu":
            return sorted(shown, key=lambda d: fold(d.subject))
        if self.sort == "moi":
            return sorted(shown, key=lambda d: (d.created_at, d.id), reverse=True)
        return shown
