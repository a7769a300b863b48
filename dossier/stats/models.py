"""The yearly report's wording as data: one row the Văn phòng edits (Thống kê → Mẫu báo cáo).

Defaults come from report_layout.py and are marked unconfirmed: the form of Thông tư
18/2025/TT-BNV for thi đua, khen thưởng could not be read (see README)."""

from __future__ import annotations

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from . import report_layout as layout


class ReportSetting(db.Model):
    __tablename__ = "stats_report_setting"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)  # "{year}" is replaced by the year
    source: Mapped[str] = mapped_column(Text)  # the circular and its form, as printed
    level_titles: Mapped[str] = mapped_column(Text)  # one a line, in report_layout.LEVELS order
    column_titles: Mapped[str] = mapped_column(Text)  # one a line, in report_layout.COLUMNS order
    confirmed: Mapped[bool] = mapped_column(default=False)

    @classmethod
    def get(cls) -> ReportSetting:
        row = db.session.get(cls, 1)
        if row is None:
            row = cls(
                id=1,
                title=layout.TITLE,
                source=layout.SOURCE,
                level_titles="\n".join(t for _, t in layout.LEVELS),
                column_titles="\n".join(t for _, t in layout.COLUMNS),
                confirmed=layout.CONFIRMED,
            )
            db.session.add(row)
            db.session.flush()
        return row

    def levels(self) -> list[tuple[str, str]]:
        return _titled(layout.LEVELS, self.level_titles)

    def columns(self) -> list[tuple[str, str]]:
        return _titled(layout.COLUMNS, self.column_titles)


def _titled(defaults, text: str) -> list[tuple[str, str]]:
    lines = [line.strip() for line in (text or "").splitlines()]
    return [
        (key, lines[i] if i < len(lines) and lines[i] else title)
        for i, (key, title) in enumerate(defaults)
    ]
