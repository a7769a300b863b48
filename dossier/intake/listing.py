"""The consolidated list (danh sách tổng hợp) as plain data: built live, frozen as JSON.

Exports (XLSX, PDF) and the council read only these dataclasses, never the ORM, so a
frozen version renders exactly as it was sent.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from itertools import groupby


@dataclass(frozen=True)
class Finding:
    # rules.py keeps findings as plain tuples in this field order until a page shows them.
    level: str  # "error" blocks sending to the council; "warning" informs
    rule: str  # duplicate, quota, prerequisite, registration, unit_vote, on_hold
    message: str  # Vietnamese, complete sentence
    source: str  # the rule's legal source (domain.md)
    nominee_id: int | None = None  # None: about the whole list (quota, registration)


@dataclass
class ListRow:
    nominee_id: int
    dossier_id: int
    name: str
    kind: str  # NomineeKind value
    position: str
    gender: str | None
    unit_id: int
    unit_name: str
    unit_order: int
    form_code: str
    form_name: str
    form_order: int
    form_level: str  # AwardLevel value
    votes_for: int | None
    votes_against: int | None
    meeting_present: int | None
    sort_key: str  # hex of the ICU key: Vietnamese order survives JSON
    findings: list[Finding] = field(default_factory=list)
    # A woman, or a collective with ≥ 70% women: first on equal merit (NĐ 152/2025, Điều 4).
    women_first: bool = False

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]


@dataclass
class Consolidated:
    campaign_id: int
    campaign_name: str
    year: int
    rows: list[ListRow]
    list_findings: list[Finding] = field(default_factory=list)

    def sort(self) -> None:
        """By award form, then unit, then women first on equal merit (NĐ 152/2025, Điều 4),
        then Vietnamese name order."""
        self.rows.sort(
            key=lambda r: (
                r.form_order,
                r.unit_order,
                r.unit_name,
                r.kind != "collective",
                not r.women_first,
                r.sort_key,
            )
        )

    def groups(self) -> list[tuple[str, list[tuple[str, list[ListRow]]]]]:
        out = []
        for form_name, by_form in groupby(self.rows, key=lambda r: (r.form_order, r.form_name)):
            units = [
                (unit, list(rows)) for unit, rows in groupby(by_form, key=lambda r: r.unit_name)
            ]
            out.append((form_name[1], units))
        return out

    @property
    def all_findings(self) -> list[Finding]:
        return self.list_findings + [f for r in self.rows for f in r.findings]

    @property
    def error_count(self) -> int:
        return sum(f.level == "error" for f in self.all_findings)

    @property
    def warning_count(self) -> int:
        return sum(f.level == "warning" for f in self.all_findings)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Consolidated:
        data = json.loads(text)
        rows = [
            ListRow(**{**r, "findings": [Finding(**f) for f in r["findings"]]})
            for r in data.pop("rows")
        ]
        findings = [Finding(**f) for f in data.pop("list_findings")]
        return cls(rows=rows, list_findings=findings, **data)
