"""The award rules on the award form's page: the Văn phòng changes their parameters,
source and level, adds one, or switches one off. Thin views over operations.save_rule."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user
from markupsafe import Markup

from ..access import Action, guard
from ..errors import DomainError, acting
from ..extensions import db
from ..params import form_text
from . import operations as ops
from .award_rules import KINDS, AwardRule
from .models import AwardForm
from .views import bp


def _refusal(err: DomainError) -> None:
    items = Markup("").join(Markup("<li>{}</li>").format(d) for d in err.details)
    flash(Markup("{}<ul class='mb-0'>{}</ul>").format(err.message, items), "danger")


def _save(form: AwardForm, rule: AwardRule | None, kind: str):
    back = redirect(url_for(".award_form_edit", award_form_id=form.id) + "#quy-tac")
    spec = KINDS.get(kind)
    raw = (
        {p.name: form_text(f"p_{p.name}", p.label, max_len=40) for p in spec.params} if spec else {}
    )
    with acting(say=_refusal) as outcome:
        ops.save_rule(
            current_user,
            form,
            rule,
            kind=kind,
            raw_params=raw,
            blocking=request.form.get("blocking") == "1",
            legal_source=form_text("legal_source", "Căn cứ pháp lý", max_len=400),
            route=form_text("route", "Nhóm tiêu chuẩn", max_len=80),
            confirmed=request.form.get("confirmed") == "1",
            active=request.form.get("active", "1") == "1",
        )
    if outcome.refused:
        return back
    db.session.commit()
    flash("Đã lưu quy tắc xét khen thưởng.", "success")
    return back


@bp.post("/hinh-thuc/<int:award_form_id>/quy-tac")
@guard(Action.MANAGE_CAMPAIGNS, load=AwardForm)
def add_rule(form: AwardForm):
    return _save(form, None, form_text("kind", "Loại quy tắc", max_len=40))


@bp.post("/quy-tac/<int:rule_id>")
@guard(Action.MANAGE_CAMPAIGNS, load=AwardRule)
def edit_rule(rule: AwardRule):
    form = db.session.get(AwardForm, rule.award_form_id)
    return _save(form, rule, rule.kind)
