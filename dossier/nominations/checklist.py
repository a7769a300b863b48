"""What a dossier still lacks, per nominee and per award form: the submission's gate."""

from __future__ import annotations

from dataclasses import dataclass

from ..enums import AttachmentKind, Component, DossierComponent, NomineeKind, NomineeStatus
from .models import Dossier, Nominee


@dataclass(frozen=True)
class Missing:
    nominee_id: int | None
    who: str  # "Tờ trình", "Biên bản họp", or the nominee's name
    message: str

    def __str__(self) -> str:
        return f"{self.who}: {self.message}"


def _report_filled(nominee: Nominee) -> bool:
    r = nominee.report
    if r is None:
        return False
    if nominee.kind == NomineeKind.COLLECTIVE:
        return bool(r.situation and r.achievements)
    return bool(r.duties and r.achievements)


def _has_attachment(dossier: Dossier, nominee: Nominee, kind: AttachmentKind) -> bool:
    return any(a.nominee_id == nominee.id and a.kind == kind for a in dossier.attachments)


def nominee_missing(dossier: Dossier, nominee: Nominee) -> list[Missing]:
    """What one nominee lacks: what its award form requires, or what the procedure asks of
    every nominee (the simplified procedure: a summary of the achievement)."""
    out: list[Missing] = []

    def miss(message: str) -> None:
        out.append(Missing(nominee.id, nominee.name, message))

    if nominee.status == NomineeStatus.INELIGIBLE:
        return out
    if nominee.staff is not None and nominee.staff.on_hold:
        miss(
            "đang bị xem xét kỷ luật, điều tra, thanh tra hoặc khiếu nại, chưa được đề nghị "
            f"khen thưởng (NĐ 152/2025/NĐ-CP, Điều 4): {nominee.staff.hold_reason}"
        )
    form = nominee.award_form
    if form.id not in {f.id for f in dossier.campaign.award_forms}:
        miss(f"hình thức «{form.name}» không thuộc đợt thi đua này")
    if form.subject != nominee.kind:
        miss(f"hình thức «{form.name}» không dành cho {NomineeKind(nominee.kind).title_vi.lower()}")
    wanted = dossier.campaign.procedure.DOSSIER["components"]
    for component in form.components if wanted is None else map(Component, wanted):
        if component == Component.SUMMARY and not (nominee.report and nominee.report.achievements):
            miss("thiếu tóm tắt thành tích (phần II của báo cáo thành tích)")
        elif component == Component.REPORT and not _report_filled(nominee):
            miss("thiếu báo cáo thành tích (phần I và phần II)")
        elif component == Component.REPORT_CONFIRMED and (
            nominee.report is None or nominee.report.confirmed_at is None
        ):
            miss("báo cáo thành tích chưa được thủ trưởng đơn vị xác nhận")
        elif component == Component.REPORT_SCAN and not _has_attachment(
            dossier, nominee, AttachmentKind.REPORT_SCAN
        ):
            miss("thiếu bản scan báo cáo thành tích có chữ ký")
        elif component == Component.INITIATIVE and not _has_attachment(
            dossier, nominee, AttachmentKind.INITIATIVE
        ):
            miss("thiếu minh chứng sáng kiến hoặc đề tài được công nhận")
        elif component == Component.MINUTES_VOTE:
            if nominee.votes_for is None or nominee.votes_against is None:
                miss("chưa ghi kết quả bỏ phiếu trong biên bản họp đơn vị")
            elif dossier.meeting_present is not None and (
                nominee.votes_for + nominee.votes_against > dossier.meeting_present
            ):
                miss("số phiếu đồng ý và không đồng ý vượt quá số người dự họp")
    return out


def _minutes_missing(dossier: Dossier) -> list[Missing]:
    out: list[Missing] = []
    minutes = "Biên bản họp"
    if not dossier.meeting_date:
        out.append(Missing(None, minutes, "thiếu ngày họp"))
    if not dossier.meeting_chair or not dossier.meeting_secretary:
        out.append(Missing(None, minutes, "thiếu chủ trì hoặc thư ký cuộc họp"))
    if not dossier.meeting_present or not dossier.meeting_total:
        out.append(Missing(None, minutes, "thiếu số người dự họp / tổng số"))
    elif dossier.meeting_present > dossier.meeting_total:
        out.append(Missing(None, minutes, "số người dự họp lớn hơn tổng số"))
    return out


# The dossier-level components a campaign requires: the attachment that satisfies each,
# under which heading the checklist names it, and the words.
SCANS = {
    DossierComponent.LETTER_SCAN: (
        AttachmentKind.LETTER_SCAN,
        "Tờ trình",
        "thiếu bản scan tờ trình có chữ ký, đóng dấu (tải lên ở mục 4, loại «Bản scan tờ trình "
        "có chữ ký»)",
    ),
    DossierComponent.MINUTES_SCAN: (
        AttachmentKind.MINUTES_SCAN,
        "Biên bản họp",
        "thiếu bản scan biên bản họp có chữ ký (tải lên ở mục 4, loại «Bản scan biên bản họp»)",
    ),
}


def scans_missing(campaign, kinds: set[str]) -> list[Missing]:
    """The signed scans the campaign requires that a dossier holding attachments of these
    `kinds` (not tied to a nominee) lacks."""
    out = []
    for component in campaign.dossier_components:
        kind, who, message = SCANS[component]
        if kind not in kinds:
            out.append(Missing(None, who, message))
    return out


def dossier_missing(dossier: Dossier) -> list[Missing]:
    out: list[Missing] = []
    letter = "Tờ trình"
    if not dossier.letter_number:
        out.append(Missing(None, letter, "thiếu số, ký hiệu"))
    if not dossier.letter_date:
        out.append(Missing(None, letter, "thiếu ngày ký"))
    if not dossier.letter_signer:
        out.append(Missing(None, letter, "thiếu người ký"))
    if dossier.campaign.procedure.DOSSIER["minutes"]:  # none in the simplified procedure
        out.extend(_minutes_missing(dossier))
    kinds = {a.kind for a in dossier.attachments if a.nominee_id is None}
    out.extend(scans_missing(dossier.campaign, kinds))
    active = [n for n in dossier.nominees if n.status != NomineeStatus.INELIGIBLE]
    if not active:
        out.append(Missing(None, "Danh sách", "chưa có tập thể hoặc cá nhân nào được đề nghị"))
    for nominee in dossier.nominees:
        out.extend(nominee_missing(dossier, nominee))
    return out
