"""The Hồ sơ list's search, filters and sort, read from the URL (GET, bookmarkable).

Who sees which dossiers is decided before this (the view's scoping: a unit's own dossiers,
or every sent one for the Văn phòng and the Director); these only narrow and order what
the user already may see. A value that is not one of the choices counts as absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, exists, or_, select

from ..extensions import db
from ..org.models import Unit
from ..params import choice_arg, int_arg, search_arg
from ..states import DossierState
from ..text import fold
from .models import Dossier, Nominee

SORTS = {
    "moi": "Mới nộp trước",
    "cu": "Nộp sớm nhất trước",
    "don-vi": "Theo đơn vị",
    "trang-thai": "Theo trạng thái",
}
STATES = {"": "Mọi trạng thái", **{s.value: s.title_vi for s in DossierState}}
_STATE_ORDER = case({s.value: i for i, s in enumerate(DossierState)}, value=Dossier.state)


@dataclass(frozen=True)
class DossierFilter:
    q: str = ""  # as typed
    folded: str = ""
    campaign_id: int | None = None
    state: str = ""
    unit_id: int | None = None
    sort: str = "moi"

    @classmethod
    def from_args(cls) -> DossierFilter:
        q, folded = search_arg("q")
        return cls(
            q=q,
            folded=folded,
            campaign_id=int_arg("dot"),
            state=choice_arg("trang-thai", STATES),
            unit_id=int_arg("don-vi"),
            sort=choice_arg("sap-xep", SORTS, "moi"),
        )

    @property
    def args(self) -> dict:
        """The query string that reproduces this list (pagination keeps it)."""
        pairs = {
            "q": self.q,
            "dot": self.campaign_id,
            "trang-thai": self.state,
            "don-vi": self.unit_id,
            "sap-xep": self.sort if self.sort != "moi" else None,
        }
        return {k: v for k, v in pairs.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.q or self.campaign_id or self.state or self.unit_id)

    def apply(self, stmt):
        """Narrow and order a select(Dossier) already scoped to what the user may see."""
        if self.campaign_id:
            stmt = stmt.where(Dossier.campaign_id == self.campaign_id)
        if self.state:
            stmt = stmt.where(Dossier.state == self.state)
        if self.unit_id:
            stmt = stmt.where(Dossier.unit_id == self.unit_id)
        if self.folded:
            units = [u.id for u in db.session.scalars(select(Unit)) if self.folded in fold(u.name)]
            named = exists().where(
                Nominee.dossier_id == Dossier.id,
                Nominee.name_folded.contains(self.folded, autoescape=True),
            )
            stmt = stmt.where(or_(Dossier.unit_id.in_(units or [-1]), named))
        when = Dossier.submitted_at
        if self.sort == "cu":
            return stmt.order_by(when.is_(None), when, Dossier.id)
        if self.sort == "don-vi":
            return stmt.join(Unit, Unit.id == Dossier.unit_id).order_by(
                Unit.sort_order, Unit.name, Dossier.seq, Dossier.id
            )
        if self.sort == "trang-thai":
            return stmt.order_by(_STATE_ORDER, when.desc(), Dossier.id.desc())
        return stmt.order_by(
            when.is_(None), when.desc(), Dossier.created_at.desc(), Dossier.id.desc()
        )


def sent_rows():
    """The columns the sent dossiers' table shows, as plain rows (no ORM object per row)."""
    return select(
        Dossier.id,
        Dossier.campaign_id,
        Dossier.unit_id,
        Dossier.seq,
        Dossier.state,
        Dossier.submitted_at,
    )


@dataclass(frozen=True, slots=True)
class SentRow:
    id: int
    title: str
    campaign_name: str
    state: str
    submitted_at: datetime | None

    @classmethod
    def maker(cls, campaign_names: dict[int, str], unit_names: dict[int, str]):
        def make(row) -> SentRow:
            title = Dossier.title_of(unit_names[row.unit_id], row.seq)
            return cls(row.id, title, campaign_names[row.campaign_id], row.state, row.submitted_at)

        return make
