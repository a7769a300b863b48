"""What a nominee must satisfy to be on the dossier's list: a form of this campaign and of
the right kind, a person of this unit not on hold, and not the same form twice.

Split out of operations.py (add_nominee and update_nominee call it from there).
"""

from __future__ import annotations

from ..campaigns.models import AwardForm
from ..enums import NomineeKind
from ..errors import DomainError
from ..org.models import Staff
from ..text import fold
from .models import Dossier


def _check_nominee(
    dossier: Dossier,
    *,
    kind: str,
    staff: Staff | None,
    name: str,
    form: AwardForm,
    exclude_id: int | None = None,
) -> None:
    if form.id not in {f.id for f in dossier.campaign.award_forms}:
        raise DomainError(f"Hình thức «{form.name}» không thuộc đợt thi đua này.")
    if form.subject != kind:
        raise DomainError(
            f"Hình thức «{form.name}» chỉ dành cho {NomineeKind(form.subject).title_vi.lower()}."
        )
    if staff is not None:
        if staff.unit_id != dossier.unit_id:
            raise DomainError(
                f"{staff.full_name} không thuộc {dossier.unit.name}; mỗi đơn vị "
                "chỉ đề nghị người của mình."
            )
        if staff.on_hold:
            raise DomainError(
                f"{staff.full_name} đang bị xem xét ({staff.hold_reason}); theo Nghị định "
                "152/2025/NĐ-CP, Điều 4, chưa được đề nghị khen thưởng cho đến khi có kết luận."
            )
    # Several forms for one person are lawful (LĐTT with CSTĐCS, a Giấy khen beside a
    # title): only the same form twice is refused here; the award rules judge the pairs.
    folded = fold(name)
    for other in dossier.nominees:
        if other.id == exclude_id or other.award_form_id != form.id:
            continue
        same = (staff is not None and other.staff_id == staff.id) or (
            other.kind == kind and other.name_folded == folded
        )
        if same:
            raise DomainError(
                f"{name} đã được đề nghị «{form.name}» trong danh sách của hồ sơ này."
            )
