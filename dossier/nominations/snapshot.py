"""The dossier frozen at each submission, and what changed between two submissions."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..enums import AttachmentKind, NomineeKind
from .models import Dossier


def serialize(dossier: Dossier) -> dict[str, str]:
    """A flat, ordered {"where › what": value} view: easy to store, easy to diff."""
    out: dict[str, str] = {}

    def put(key: str, value) -> None:
        if value not in (None, ""):
            out[key] = str(value)

    put("Tờ trình › Số, ký hiệu", dossier.letter_number)
    put("Tờ trình › Ngày", dossier.letter_date and f"{dossier.letter_date:%d/%m/%Y}")
    put("Tờ trình › Người ký", dossier.letter_signer)
    put("Tờ trình › Nội dung", dossier.letter_text)
    put("Biên bản họp › Ngày họp", dossier.meeting_date and f"{dossier.meeting_date:%d/%m/%Y}")
    put("Biên bản họp › Chủ trì", dossier.meeting_chair)
    put("Biên bản họp › Thư ký", dossier.meeting_secretary)
    put(
        "Biên bản họp › Có mặt / tổng số",
        dossier.meeting_present and f"{dossier.meeting_present}/{dossier.meeting_total}",
    )
    for n in dossier.nominees:
        who = f"{NomineeKind(n.kind).title_vi} {n.name}"
        put(f"{who} › Hình thức đề nghị", n.award_form.name)
        put(f"{who} › Chức vụ", n.position)
        put(
            f"{who} › Phiếu đồng ý / không đồng ý",
            n.votes_for is not None and f"{n.votes_for}/{n.votes_against}",
        )
        r = n.report
        if r is not None:
            put(f"{who} › Báo cáo › Quê quán", r.hometown)
            put(f"{who} › Báo cáo › Trình độ", r.qualifications)
            put(f"{who} › Báo cáo › Đặc điểm, tình hình", r.situation)
            put(f"{who} › Báo cáo › Chức năng, nhiệm vụ", r.duties)
            put(f"{who} › Báo cáo › Thành tích", r.achievements)
            put(f"{who} › Báo cáo › Sáng kiến, đề tài", r.initiatives)
            put(f"{who} › Báo cáo › Khen thưởng đã nhận", r.awards_received)
            put(f"{who} › Báo cáo › Xác nhận", r.confirmed_at and "đã xác nhận")
    for a in dossier.attachments:
        owner = f"{a.nominee.name} › " if a.nominee else ""
        put(f"Tệp › {owner}{AttachmentKind(a.kind).title_vi} › {a.filename}", a.sha256[:12])
    return out


def to_json(dossier: Dossier) -> str:
    return json.dumps(serialize(dossier), ensure_ascii=False)


@dataclass
class Change:
    key: str
    kind: str  # "added", "removed", "changed"
    old: str | None
    new: str | None

    @property
    def inline(self) -> Markup:
        """Word-level diff with <del>/<ins>, for long texts."""
        old, new = (self.old or "").split(), (self.new or "").split()
        parts = []
        for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes():
            if op == "equal":
                parts.append(escape(" ".join(old[a1:a2])))
            if op in ("delete", "replace"):
                parts.append(Markup("<del>%s</del>") % " ".join(old[a1:a2]))
            if op in ("insert", "replace"):
                parts.append(Markup("<ins>%s</ins>") % " ".join(new[b1:b2]))
        return Markup(" ").join(parts)


def diff(old_json: str, new_json: str) -> list[Change]:
    old, new = json.loads(old_json), json.loads(new_json)
    changes = []
    for key in list(old) + [k for k in new if k not in old]:
        if key not in new:
            changes.append(Change(key, "removed", old[key], None))
        elif key not in old:
            changes.append(Change(key, "added", None, new[key]))
        elif old[key] != new[key]:
            changes.append(Change(key, "changed", old[key], new[key]))
    return changes
