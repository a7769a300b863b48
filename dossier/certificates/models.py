"""A certificate's layout as data: paper, offset for pre-printed paper, positioned texts."""

from __future__ import annotations

import json
from dataclasses import asdict

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .layout import ALIGNS, PAPERS, STYLES, Element  # noqa: F401  (re-exported)


class CertificateTemplate(db.Model):
    __tablename__ = "certificate_template"
    __table_args__ = (
        CheckConstraint("paper IN ('A4', 'A5', 'A3')", name="paper"),
        CheckConstraint("offset_x_mm BETWEEN -50 AND 50", name="offset_x"),
        CheckConstraint("offset_y_mm BETWEEN -50 AND 50", name="offset_y"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)  # "Giấy khen của Giám đốc Sở"
    paper: Mapped[str] = mapped_column(String(4), default="A4")
    landscape: Mapped[bool] = mapped_column(default=True)
    # Shifts every text, so the page lands on the agency's pre-printed paper: measured once
    # per printer by printing a test page and reading the ruler.
    offset_x_mm: Mapped[float] = mapped_column(default=0.0)
    offset_y_mm: Mapped[float] = mapped_column(default=0.0)
    preprinted: Mapped[bool] = mapped_column(default=False)  # leave out the fixed texts
    elements_json: Mapped[str] = mapped_column(Text, default="[]")

    @property
    def elements(self) -> list[Element]:
        return [Element(**e) for e in json.loads(self.elements_json or "[]")]

    @elements.setter
    def elements(self, values: list[Element]) -> None:
        self.elements_json = json.dumps([asdict(e) for e in values], ensure_ascii=False)

    @property
    def size_mm(self) -> tuple[float, float]:
        w, h = PAPERS[self.paper]
        return (h, w) if self.landscape else (w, h)

    def __str__(self) -> str:
        return self.name
