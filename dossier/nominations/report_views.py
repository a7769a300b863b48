"""The dossier's documents on the nominations blueprint: a nominee's achievement report
(edit, the unit head's confirmation), the tờ trình as PDF, and what changed between two
submissions. Thin views over operations, as in views.py.

Split out of views.py; the routes and their endpoints ("nominations.report", ...) are
unchanged. Imported by the app factory, after views.py, like campaigns/rule_views.py.
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import Action, authorize, guard
from ..errors import acting
from ..extensions import db
from ..params import int_arg
from . import operations as ops
from .forms import ReportForm
from .models import Dossier, Nominee, Snapshot
from .snapshot import diff
from .views import _back, bp, ops_can_edit


@bp.route("/nguoi/<int:nominee_id>/bao-cao", methods=["GET", "POST"])
@guard(Action.VIEW_DOSSIER, load=Nominee)
def report(nominee):
    dossier = nominee.dossier
    form = ReportForm(obj=nominee.report, version=dossier.version)
    if request.method == "POST":
        authorize(Action.EDIT_DOSSIER, dossier)
        if form.validate_on_submit():
            fields = {k: v for k, v in form.data.items() if k in ops.REPORT_FIELDS}
            with acting() as outcome:
                ops.save_report(current_user, nominee, version=form.version.data, **fields)
            if outcome.refused:
                return render_template(
                    "nominations/report.html", nominee=nominee, dossier=dossier, form=form
                ), 409
            db.session.commit()
            flash(f"Đã lưu báo cáo thành tích của {nominee.name}.", "success")
            return redirect(url_for(".report", nominee_id=nominee.id))
    return render_template(
        "nominations/report.html",
        nominee=nominee,
        dossier=dossier,
        form=form,
        editable=ops_can_edit(dossier),
    )


@bp.post("/nguoi/<int:nominee_id>/xac-nhan")
@guard(Action.CONFIRM_REPORT, load=Nominee)
def confirm(nominee):
    with acting() as outcome:
        ops.confirm_report(current_user, nominee, version=request.form.get("version"))
    if outcome.refused:
        return redirect(url_for(".report", nominee_id=nominee.id))
    db.session.commit()
    flash(f"Đã xác nhận báo cáo thành tích của {nominee.name}.", "success")
    return redirect(url_for(".report", nominee_id=nominee.id))


@bp.get("/<int:dossier_id>/to-trinh.pdf")
@guard(Action.VIEW_DOSSIER, load=Dossier)
def letter_pdf(dossier):

    from .letter_pdf import render  # heavy (reportlab): loaded on use

    name = f"to-trinh-{dossier.unit.code}-{dossier.campaign.year}.pdf"
    return Response(
        render(dossier),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@bp.get("/<int:dossier_id>/thay-doi")
@guard(Action.VIEW_DOSSIER, load=Dossier)
def changes(dossier):
    snaps = {
        s.revision: s
        for s in db.session.scalars(select(Snapshot).where(Snapshot.dossier_id == dossier.id))
    }
    new = int_arg("den") or max(snaps, default=0)
    old = int_arg("tu") or new - 1
    if old not in snaps or new not in snaps:
        flash("Chưa có hai lần nộp để so sánh.", "info")
        return _back(dossier)
    return render_template(
        "nominations/changes.html",
        dossier=dossier,
        old=old,
        new=new,
        changes=diff(snaps[old].content, snaps[new].content),
        fix_items=[f for f in dossier.fix_items if f.revision == old],
    )
