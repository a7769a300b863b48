"""What the council's minutes print, as plain data (the PDF renderer reads only this)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class MemberLine:
    name: str
    position: str  # "Chủ tịch Hội đồng", "Ủy viên", …
    office: str  # the person's post, e.g. "Giám đốc Sở", "Trưởng phòng Quản lý Khoa học"
    present: bool
    written: bool = False  # absent, sent a written view


@dataclass
class ResultLine:
    name: str
    kind: str  # "individual" | "collective"
    unit: str
    form: str
    form_level: str  # an AwardLevel
    method: str  # "electronic" | "paper"
    issued: int
    returned: int
    valid: int
    agree: int
    base: int
    base_words: str  # "tổng số thành viên Hội đồng", …
    threshold: str  # "từ 70% trở lên", "trên 50%"
    percent: str  # "83,3%" (display only)
    passed: bool
    withheld: bool = False  # fewer valid ballots than the minimum: not published


@dataclass
class HistoryLine:
    """A superseded round's count for one nominee (the minutes' history section)."""

    round: int
    name: str
    unit: str
    form: str
    method: str
    issued: int
    returned: int
    valid: int
    agree: int
    percent: str
    passed: bool
    withheld: bool


@dataclass
class RecusalLine:
    member: str  # "Nguyễn Văn An – Trưởng phòng Quản lý Khoa học"
    nominee: str
    unit: str  # the nominee's unit
    reason: str


@dataclass
class MinutesData:
    agency_parent: str
    agency_name: str
    place_name: str  # for the date line
    campaign: str
    meeting_date: date
    meeting_place: str
    list_version: int
    chair: str
    secretary: str
    members: list[MemberLine]
    quorum_words: str  # "có mặt 10/12 thành viên, đủ 2/3 theo quy định"
    guests: list[str] = field(default_factory=list)
    results: list[ResultLine] = field(default_factory=list)
    reopened_reasons: list[str] = field(default_factory=list)
    opened_at: datetime | None = None  # when the chair opened the vote (local time printed)
    closed_at: datetime | None = None  # when the chair closed it
    recusals: list[RecusalLine] = field(default_factory=list)
    year: int | None = None  # the campaign's year, for the title
    number: str | None = None  # "01/BB-HĐTĐKT" once the Văn thư gave it; else blank to fill
    round: int = 1  # the round whose results are the table (a later round supersedes)
    min_ballots: int = 3  # no result is published from fewer valid ballots
    history: list[HistoryLine] = field(default_factory=list)  # earlier rounds, superseded
    recipients: list[str] = field(
        default_factory=lambda: ["Giám đốc Sở (để b/c)", "Thành viên Hội đồng", "Lưu: VT, VP."]
    )
