"""Certificate pages: print an issued decision's certificates; edit the templates."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import Action, guard
from ..decisions.models import Decision
from ..errors import acting, flash_message
from ..extensions import db
from . import operations as ops
from .forms import EMPTY_ROWS, TemplateForm
from .models import CertificateTemplate
from .render import PLACEHOLDERS, render, sample_values

bp = Blueprint("certificates", __name__, url_prefix="/quyet-dinh")


@bp.get("/<int:decision_id>/giay-khen.pdf")
@guard(Action.PRINT_CERTIFICATES, load=Decision)
def download(decision):
    with acting() as outcome:
        pdf, pages = ops.certificates_pdf(decision)
    if outcome.refused:
        return redirect(url_for("decisions.show", decision_id=decision.id))
    db.session.commit()  # default templates, created on first use
    name = f"giay-khen-qd-{decision.number:02d}-{decision.year}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "X-Certificate-Pages": str(pages),
        },
    )


@bp.get("/mau-giay-khen")
@guard(Action.MANAGE_CERTIFICATES)
def index():
    templates = ops.ensure_default_templates()
    db.session.commit()
    from ..campaigns.models import AwardForm

    forms = db.session.query(AwardForm).order_by(AwardForm.sort_order).all()
    return render_template("certificates/index.html", templates=templates, forms=forms)


@bp.route("/mau-giay-khen/<int:template_id>", methods=["GET", "POST"])
@guard(Action.MANAGE_CERTIFICATES, load=CertificateTemplate)
def edit(template):
    form = TemplateForm(obj=template)
    if not form.is_submitted():
        form.elements.entries.clear()
        for e in template.elements:
            form.elements.append_entry(asdict(e))
        for _ in range(EMPTY_ROWS):
            form.elements.append_entry({"size": 14, "style": "regular", "align": "center"})
    if form.validate_on_submit():
        with acting(say=flash_message) as outcome:
            ops.save_template(
                current_user,
                template,
                name=form.name.data,
                paper=form.paper.data,
                landscape=form.landscape.data,
                offset_x_mm=form.offset_x_mm.data,
                offset_y_mm=form.offset_y_mm.data,
                preprinted=form.preprinted.data,
                elements=form.element_values(),
            )
        if outcome.refused:
            return _page(form, template), 422
        db.session.commit()
        flash("Đã lưu mẫu giấy khen.", "success")
        return redirect(url_for(".edit", template_id=template.id))
    return _page(form, template), 422 if form.errors else 200


def _page(form, template):
    return render_template(
        "certificates/edit.html", form=form, template=template, placeholders=PLACEHOLDERS
    )


@bp.get("/mau-giay-khen/<int:template_id>/xem-thu.pdf")
@guard(Action.MANAGE_CERTIFICATES, load=CertificateTemplate)
def preview(template):
    """One page with sample values: to check the layout, or to print a test on the paper."""
    if not template.elements:
        abort(404)
    pdf = render(
        [(ops.layout_of(template), sample_values())],
        title=f"Mẫu {template.name} (in thử)",
        author="dossier",
    )
    return Response(pdf, mimetype="application/pdf")
