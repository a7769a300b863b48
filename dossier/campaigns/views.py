"""Campaign pages: list, create/edit (Văn phòng), award forms, extensions, the workflow."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from .. import audit
from ..access import ROLES, Action, can, guard
from ..enums import AwardLevel, DossierComponent
from ..errors import acting, flash_message
from ..extensions import db
from ..nominations.models import Dossier
from ..nominations.operations import count_by_state
from ..org.models import Unit
from ..timeutil import VN_TZ, local_now, to_local
from ..workflow import FLOWS, cause_words, diagram_source
from . import operations as ops
from .award_rules import CHOICES, KINDS
from .catalogue import ensure_default_forms
from .forms import (
    AwardFormForm,
    AwardSettingForm,
    ExtensionForm,
    LegalTextForm,
    format_hundredths,
    parse_hundredths,
    with_registrations,
)
from .legal import AwardSetting, LegalText, ensure_default_texts
from .models import AwardForm, Campaign

bp = Blueprint("campaigns", __name__, url_prefix="/dot-thi-dua")


@bp.get("/")
@guard(Action.VIEW_CAMPAIGNS)
def index():

    campaigns = ops.current_campaigns()
    counts = {c.id: count_by_state(c.id) for c in campaigns}
    return render_template("campaigns/index.html", campaigns=campaigns, counts=counts)


@bp.get("/<int:campaign_id>")
@guard(Action.VIEW_CAMPAIGNS, load=Campaign)
def show(campaign):

    units = db.session.scalars(select(Unit).where(Unit.active).order_by(Unit.sort_order)).all()
    dossiers = db.session.scalars(select(Dossier).where(Dossier.campaign_id == campaign.id)).all()
    ext_form = ExtensionForm()
    ext_form.unit_id.choices = [(u.id, u.name) for u in units]
    return render_template(
        "campaigns/show.html", campaign=campaign, units=units, dossiers=dossiers, ext_form=ext_form
    )


@bp.route("/moi", methods=["GET", "POST"], defaults={"campaign_id": None})
@bp.route("/<int:campaign_id>/sua", methods=["GET", "POST"])
@guard(Action.MANAGE_CAMPAIGNS)
def edit(campaign_id):
    campaign = db.session.get(Campaign, campaign_id) if campaign_id else None
    if campaign_id and campaign is None:
        abort(404)
    forms = ensure_default_forms()
    upward = [f for f in forms if f.level == AwardLevel.UPWARD]
    texts = ensure_default_texts()
    form = with_registrations(upward)(obj=campaign)
    form.award_form_ids.choices = [(f.id, f.name) for f in forms if f.active]
    form.legal_text_ids.choices = [(t.id, t.citation()) for t in texts if t.active]
    if campaign is not None and not form.is_submitted():
        form.award_form_ids.data = [f.id for f in campaign.award_forms]
        form.legal_text_ids.data = [t.id for t in campaign.legal_texts]
        # Stored: the last second; shown: the "trước ngày" date, one day later.
        if campaign.cutoff_at is not None:
            form.deadline.data = to_local(campaign.cutoff_at).date() + timedelta(days=1)
        for r in campaign.registrations:
            getattr(form, f"reg_{r.award_form_id}").data = r.count
    elif campaign is None and not form.is_submitted():
        form.year.data = local_now().year
        form.award_form_ids.data = [f.id for f in forms if f.level == AwardLevel.DIRECTOR]
        form.legal_text_ids.data = [t.id for t in texts if t.active and t.default_on]
        form.dossier_components.data = [c.value for c in DossierComponent]  # [cfg] default on
    if form.validate_on_submit():
        with acting(say=flash_message) as outcome:
            campaign = ops.save_campaign(
                current_user,
                campaign,
                name=form.name.data,
                year=form.year.data,
                kind=form.kind.data,
                deadline=form.deadline.data,
                plan_reference=form.plan_reference.data or None,
                legal_basis=form.legal_basis.data or None,
                description=form.description.data or None,
                award_form_ids=form.award_form_ids.data,
                registrations={f.id: getattr(form, f"reg_{f.id}").data or 0 for f in upward},
                legal_text_ids=form.legal_text_ids.data or [],
                achievement_phrase=form.achievement_phrase.data,
                bonus_article=form.bonus_article.data,
                dossier_components=form.dossier_components.data or [],
            )
        if outcome.refused:
            return render_template("campaigns/edit.html", form=form, campaign=campaign), 422
        db.session.commit()
        flash("Đã lưu đợt thi đua.", "success")
        return redirect(url_for(".show", campaign_id=campaign.id))
    return render_template("campaigns/edit.html", form=form, campaign=campaign)


@bp.post("/<int:campaign_id>/gia-han")
@guard(Action.GRANT_EXTENSION, load=Campaign)
def extend(campaign):
    form = ExtensionForm()
    form.unit_id.choices = [(u.id, u.name) for u in db.session.scalars(select(Unit))]
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
        return redirect(url_for(".show", campaign_id=campaign.id, _anchor="gia-han"))
    unit = db.session.get(Unit, form.unit_id.data)
    until = form.until.data.replace(tzinfo=VN_TZ)
    with acting(say=flash_message) as outcome:
        ops.grant_extension(current_user, campaign, unit=unit, until=until, reason=form.reason.data)
    if outcome.refused:
        return redirect(url_for(".show", campaign_id=campaign.id, _anchor="gia-han"))
    db.session.commit()
    flash(f"Đã gia hạn cho {unit.name}.", "success")
    return redirect(url_for(".show", campaign_id=campaign.id))


@bp.get("/hinh-thuc")
@guard(Action.VIEW_CAMPAIGNS)
def award_forms():
    forms = ensure_default_forms()
    db.session.commit()
    return render_template("campaigns/award_forms.html", forms=forms)


@bp.route("/hinh-thuc/<int:award_form_id>", methods=["GET", "POST"])
@guard(Action.MANAGE_CAMPAIGNS, load=AwardForm)
def award_form_edit(award_form):
    from ..certificates.operations import ensure_default_templates

    form = AwardFormForm(obj=award_form)
    form.certificate_template_id.choices = [(0, "(không in)")] + [
        (t.id, t.name) for t in ensure_default_templates()
    ]
    if not form.is_submitted():
        form.bonus.data = format_hundredths(award_form.bonus_hundredths)
        form.certificate_template_id.data = award_form.certificate_template_id or 0
    if form.validate_on_submit():
        form.populate_obj(award_form)
        award_form.quota_of_code = (form.quota_of_code.data or "").upper() or None
        award_form.document_name = form.document_name.data or None
        award_form.article_wording = form.article_wording.data or None
        award_form.bonus_hundredths = parse_hundredths(form.bonus.data)
        award_form.certificate_template_id = form.certificate_template_id.data or None
        audit.record(
            actor=current_user,
            action="award_form_updated",
            object_type="award_form",
            object_id=award_form.id,
            data={"code": award_form.code},
            verdict=can(current_user, Action.MANAGE_CAMPAIGNS, award_form),
        )
        db.session.commit()
        flash("Đã lưu hình thức khen thưởng.", "success")
        return redirect(url_for(".award_forms"))
    page = render_template(
        "campaigns/award_form_edit.html",
        form=form,
        award_form=award_form,
        rules=sorted(award_form.rules, key=lambda r: (r.sort_order, r.id)),
        kinds=KINDS,
        choices=CHOICES,
    )
    return page, 422 if form.errors else 200


@bp.route("/can-cu", methods=["GET", "POST"])
@guard(Action.MANAGE_CAMPAIGNS)
def legal_texts():
    """The catalogue of texts a decision cites, and the bonus settings."""
    texts = ensure_default_texts()
    setting = AwardSetting.get()
    form = AwardSettingForm(obj=setting)
    if form.validate_on_submit():
        ops.save_setting(current_user, setting, form.data)
        db.session.commit()
        flash("Đã lưu mức lương cơ sở và cách tính tiền thưởng.", "success")
        return redirect(url_for(".legal_texts"))
    db.session.commit()  # the defaults, created on first visit
    forms = [f for f in ensure_default_forms() if f.active]
    page = render_template(
        "campaigns/legal_texts.html", texts=texts, form=form, setting=setting, forms=forms
    )
    return page, 422 if form.errors else 200


@bp.route("/can-cu/moi", methods=["GET", "POST"], defaults={"text_id": None})
@bp.route("/can-cu/<int:text_id>", methods=["GET", "POST"])
@guard(Action.MANAGE_CAMPAIGNS)
def legal_text_edit(text_id):
    text = db.session.get(LegalText, text_id) if text_id else None
    if text_id and text is None:
        abort(404)
    form = LegalTextForm(obj=text)
    if form.validate_on_submit():
        ops.save_legal_text(current_user, text, form.data)
        db.session.commit()
        flash("Đã lưu văn bản làm căn cứ.", "success")
        return redirect(url_for(".legal_texts"))
    page = render_template("campaigns/legal_text_edit.html", form=form, text=text)
    return page, 422 if form.errors else 200


@bp.get("/quy-trinh")
@guard(Action.VIEW_CAMPAIGNS)
def workflow_diagram():
    """Every lifecycle, drawn and tabled from the same rows the engine fires."""

    flows = []
    for flow in FLOWS.values():
        source = diagram_source(flow)
        svg = None
        try:
            import graphviz  # optional: the table below says it all without it

            svg = Markup(graphviz.Source(source).pipe(format="svg").decode("utf-8"))
        except Exception:  # Graphviz's `dot` is not installed: the table still says it all
            current_app.logger.warning("graphviz dot not available; showing the table only")
        flows.append({"flow": flow, "svg": svg, "source": source})
    return render_template(
        "campaigns/workflow.html", flows=flows, roles=ROLES, cause_words=cause_words
    )
