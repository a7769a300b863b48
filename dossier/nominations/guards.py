"""The workflow guards named in workflows/dossier.py, for dossiers ("comment" is the
engine's own)."""

from __future__ import annotations

from ..enums import NomineeStatus
from ..errors import DomainError
from ..timeutil import cutoff_words, now
from ..workflow import Context, guard
from .checklist import dossier_missing


@guard("complete", "hồ sơ đủ thành phần")
def complete(dossier, ctx: Context) -> None:
    missing = dossier_missing(dossier)
    if missing:
        raise DomainError(
            "Hồ sơ chưa đủ thành phần, chưa nộp được. Còn thiếu:", [str(m) for m in missing]
        )


@guard("before_cutoff", "còn trong hạn nộp")
def before_cutoff(dossier, ctx: Context) -> None:
    cutoff = dossier.campaign.cutoff_for(dossier.unit_id)
    if now() > cutoff:
        raise DomainError(
            f"Đã hết hạn nộp hồ sơ lúc {cutoff_words(cutoff)} (giờ Việt Nam). "
            "Liên hệ Văn phòng Sở nếu cần gia hạn."
        )


@guard("fix_list", "có danh sách nội dung cần bổ sung")
def fix_list(dossier, ctx: Context) -> None:
    if not ctx.items:
        raise DomainError("Trả lại hồ sơ cần ít nhất một nội dung phải bổ sung, có lý do.")
    empty = [i for i in ctx.items if not (i.get("reason") or "").strip()]
    if empty:
        raise DomainError("Mỗi nội dung cần bổ sung phải có lý do.")


@guard("no_open_nominees", "mọi người được đề nghị đã có kết quả")
def no_open_nominees(dossier, ctx: Context) -> None:
    if any(n.status == NomineeStatus.PROPOSED for n in dossier.nominees):
        raise DomainError("Còn người được đề nghị chưa có kết quả xét của Hội đồng.")
