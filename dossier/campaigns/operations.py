"""Campaign operations: create and edit campaigns, award forms, extensions."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import select

from .. import audit
from ..access import Action, require
from ..errors import DomainError
from ..extensions import db
from ..nominations.models import Dossier
from ..org.models import Unit
from ..timeutil import cutoff_before, describe_cutoff, now, vn_datetime
from .award_rules import KINDS, AwardRule, validate_params
from .legal import LegalText
from .models import AwardForm, Campaign, Extension, Registration

OFFICE_ONLY = "Chỉ Văn phòng Sở quản lý đợt thi đua."


def save_campaign(
    actor,
    campaign: Campaign | None,
    *,
    name: str,
    year: int,
    kind: str,
    deadline: date | None,
    plan_reference: str | None,
    legal_basis: str | None,
    description: str | None,
    award_form_ids: list[int],
    registrations: dict[int, int],
    legal_text_ids: list[int] | None = None,
    achievement_phrase: str | None = None,
    bonus_article: bool = False,
    dossier_components: list[str] | None = None,
) -> Campaign:
    """`deadline` is the date of "trước ngày …": the cut-off is the second before it."""
    verdict = require(actor, Action.MANAGE_CAMPAIGNS, campaign, OFFICE_ONLY)
    forms = list(db.session.scalars(select(AwardForm).where(AwardForm.id.in_(award_form_ids))))
    if not forms:
        raise DomainError("Đợt thi đua phải có ít nhất một hình thức khen thưởng.")
    created = campaign is None
    if campaign is None:
        campaign = Campaign()
        db.session.add(campaign)
    elif str(campaign.kind) != str(kind) and _has_dossiers(campaign):
        before, after = campaign.procedure, Campaign(kind=kind).procedure
        if before is not after:  # its dossiers run on the procedure it was created with
            raise DomainError(
                "Đợt thi đua đã có hồ sơ: không đổi sang loại có quy trình khác "
                f"(«{before.TITLE}» sang «{after.TITLE}»)."
            )
    campaign.name, campaign.year, campaign.kind = name, year, kind
    if campaign.procedure.CUTOFF and deadline is None:
        raise DomainError("Cần chọn ngày hạn nộp hồ sơ (hồ sơ gửi Văn phòng Sở trước ngày nào).")
    # The simplified procedure has no cut-off: a dossier is sent when the feat happens.
    campaign.cutoff_at = cutoff_before(deadline) if campaign.procedure.CUTOFF else None
    campaign.plan_reference, campaign.legal_basis = plan_reference, legal_basis
    campaign.description = description
    campaign.award_forms = forms
    if legal_text_ids is not None:
        campaign.legal_texts = list(
            db.session.scalars(select(LegalText).where(LegalText.id.in_(legal_text_ids)))
        )
    campaign.achievement_phrase = (achievement_phrase or "").strip().rstrip(".") or None
    campaign.bonus_article = bool(bonus_article)
    if dossier_components is not None:  # the signed scans the whole dossier must hold
        campaign.dossier_components = dossier_components
    by_form = {r.award_form_id: r for r in campaign.registrations}
    for form_id, count in registrations.items():
        if count and form_id in by_form:
            by_form[form_id].count = count
        elif count:
            campaign.registrations.append(Registration(award_form_id=form_id, count=count))
        elif form_id in by_form:
            campaign.registrations.remove(by_form[form_id])
    db.session.flush()
    audit.record(
        actor=actor,
        action="campaign_created" if created else "campaign_updated",
        object_type="campaign",
        object_id=campaign.id,
        data={
            "name": name,
            "cutoff": describe_cutoff(campaign.cutoff_at),
            "dossier_components": [c.value for c in campaign.dossier_components],
        },
        verdict=verdict,
    )
    return campaign


def grant_extension(
    actor, campaign: Campaign, *, unit: Unit, until: datetime, reason: str
) -> Extension:
    """Give one unit a later cut-off; the reason goes into the audit trail."""
    verdict = require(actor, Action.GRANT_EXTENSION, campaign, OFFICE_ONLY)
    if campaign.cutoff_at is None:
        raise DomainError("Đợt thi đua này không có hạn nộp hồ sơ, không cần gia hạn.")
    if not reason.strip():
        raise DomainError("Cần ghi rõ lý do gia hạn.")
    if until <= campaign.cutoff_at:
        raise DomainError(
            f"Hạn mới phải sau hạn chung của đợt thi đua ({vn_datetime(campaign.cutoff_at)})."
        )
    if until <= now():
        raise DomainError("Hạn mới phải ở tương lai.")
    ext = next((e for e in campaign.extensions if e.unit_id == unit.id), None)
    if ext is None:
        ext = Extension(unit_id=unit.id, until=until, reason=reason, granted_by_id=actor.id)
        campaign.extensions.append(ext)
    else:
        ext.until, ext.reason, ext.granted_by_id = until, reason, actor.id
    db.session.flush()
    audit.record(
        actor=actor,
        action="extension_granted",
        object_type="campaign",
        object_id=campaign.id,
        comment=reason,
        data={"unit": unit.name, "until": vn_datetime(until)},
        verdict=verdict,
    )
    return ext


def _has_dossiers(campaign: Campaign) -> bool:
    return (
        db.session.scalar(select(Dossier.id).where(Dossier.campaign_id == campaign.id).limit(1))
        is not None
    )


def current_campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).order_by(Campaign.cutoff_at.desc())))


LEGAL_FIELDS = ("kind", "number", "signed_on", "issuer", "title", "competence", "default_on")
SETTING_FIELDS = ("base_salary", "base_salary_source", "bonus_source", "round_to", "fund")


def save_legal_text(actor, text: LegalText | None, values: dict) -> LegalText:
    """Create or edit a text of the catalogue; strings trimmed, empty ones stored as None."""
    if text is None:
        text = LegalText()
        db.session.add(text)
    for name in (*LEGAL_FIELDS, "confirmed", "sort_order", "active"):
        value = values.get(name)
        setattr(text, name, (value.strip() or None) if isinstance(value, str) else value)
    text.title = text.title or ""
    db.session.flush()
    audit.record(
        actor=actor,
        action="legal_text_saved",
        object_type="legal_text",
        object_id=text.id,
        data={"citation": text.citation()},
    )
    return text


def save_setting(actor, setting, values: dict) -> None:
    for name in (*SETTING_FIELDS, "confirmed"):
        value = values.get(name)
        setattr(setting, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    audit.record(
        actor=actor,
        action="award_setting_saved",
        object_type="award_setting",
        object_id=setting.id,
        data={"base_salary": setting.base_salary, "round_to": setting.round_to},
    )


# --- the award rules of a form (award_rules.py) ----------------------------------------


def save_rule(
    actor,
    form: AwardForm,
    rule: AwardRule | None,
    *,
    kind: str,
    raw_params: dict[str, str],
    blocking: bool,
    legal_source: str,
    route: str | None,
    confirmed: bool,
    active: bool = True,
) -> AwardRule:
    """Add a rule to the form (rule None) or change one; nonsense parameters are refused
    with every problem named (a ratio above 100%, zero years, an unknown form code)."""
    verdict = require(actor, Action.MANAGE_CAMPAIGNS, form)
    codes = set(db.session.scalars(select(AwardForm.code)))
    params = validate_params(kind, raw_params, codes)
    source = " ".join((legal_source or "").split())
    if not source:
        raise DomainError("Quy tắc chưa lưu được:", ["Căn cứ pháp lý: chưa nhập."])
    if len(source) > 300 or len(route or "") > 60:
        raise DomainError("Căn cứ pháp lý hoặc nhóm tiêu chuẩn dài quá.")
    spec = KINDS[kind]
    if spec.subject is not None and spec.subject != form.subject:
        raise DomainError(
            f"Loại quy tắc này chỉ dành cho hình thức khen thưởng "
            f"{'tập thể' if spec.subject == 'collective' else 'cá nhân'}."
        )
    if rule is None:
        rule = AwardRule(award_form_id=form.id, kind=kind, sort_order=10 * (len(form.rules) + 1))
        db.session.add(rule)
    elif rule.award_form_id != form.id or rule.kind != kind:
        raise DomainError("Quy tắc không thuộc hình thức này.")
    before = {"params": rule.params, "blocking": rule.blocking, "active": rule.active}
    rule.params_json = json.dumps(params)
    rule.blocking, rule.legal_source, rule.confirmed = blocking, source, confirmed
    rule.route, rule.active = (route or "").strip() or None, active
    db.session.flush()
    audit.record(
        actor=actor,
        action="award_rule_saved",
        object_type="award_form",
        object_id=form.id,
        data={"code": form.code, "kind": kind, "before": before, "params": params},
        verdict=verdict,
    )
    return rule
