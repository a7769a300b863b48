"""The checks on the list as a whole: quotas between forms, the campaign's registrations."""

from __future__ import annotations

from collections import Counter

from ..campaigns.models import AwardForm, Campaign
from .columns import FOLDED, FORM, KIND, STAFF
from .listing import Finding

LAW = "Luật Thi đua, khen thưởng 2022"


def _person(f: tuple):
    return ("staff", f[STAFF]) if f[STAFF] is not None else (f[KIND], f[FOLDED])


def quotas(counts: Counter, forms: dict[str, AwardForm], facts: list[tuple]) -> list[Finding]:
    """E.g. Chiến sĩ thi đua cơ sở at most 15% of those with Lao động tiên tiến."""
    out = []
    for form in forms.values():
        if not form.quota_pct or not form.quota_of_code or not counts[form.code]:
            continue
        base_form = forms.get(form.quota_of_code)
        # Everyone proposed for CSTĐCS also holds LĐTT that year: both count in the base,
        # each person once (the pair LĐTT + CSTĐCS for one person is one person).
        base = len({_person(f) for f in facts if f[FORM] in (form.quota_of_code, form.code)})
        n = counts[form.code]
        if n * 100 > form.quota_pct * base:
            allowed = form.quota_pct * base // 100
            out.append(
                Finding(
                    "error",
                    "quota",
                    f"Đề nghị {n} «{form.name}», vượt tỷ lệ {form.quota_pct}% trên {base} người "
                    f"đạt «{base_form.name if base_form else form.quota_of_code}» "
                    f"(tối đa {allowed}).",
                    form.legal_source or LAW,
                )
            )
    return out


def registrations(counts: Counter, campaign: Campaign) -> list[Finding]:
    out = []
    for reg in campaign.registrations:
        n = counts[reg.award_form.code]
        if n > reg.count:
            out.append(
                Finding(
                    "warning",
                    "registration",
                    f"Đề nghị {n} «{reg.award_form.name}» nhưng đợt thi đua "
                    f"chỉ đăng ký {reg.count}.",
                    "Đăng ký hình thức khen thưởng của đợt thi đua",
                )
            )
    return out
