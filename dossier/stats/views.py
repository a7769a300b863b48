"""Thống kê: the dashboard (Văn phòng and Director: every unit; a unit head: their own),
each chart as SVG, its data as XLSX."""

from __future__ import annotations

import base64

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from ..access import Action, can, guard
from ..campaigns.models import AwardForm, Campaign
from ..enums import NomineeKind, Role
from ..extensions import db
from ..org.models import Unit
from ..params import int_arg
from . import queries
from .export import series_xlsx
from .svg import bar_chart, to_png

bp = Blueprint("stats", __name__, url_prefix="/thong-ke")
AWARD_CHARTS = ("form", "unit", "year", "gender", "worker")
CAMPAIGN_CHARTS = ("progress", "findings")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reader_units() -> frozenset[int] | None:
    """None: every unit (Văn phòng, Director); else the unit head's own units."""
    if can(current_user, Action.VIEW_ALL_STATISTICS):
        return None
    return frozenset(current_user.unit_ids(Role.UNIT_HEAD))


def _filters() -> tuple[queries.Filters, dict]:
    units = reader_units()
    unit_id = int_arg("don_vi")
    if unit_id:
        unit = db.session.get(Unit, unit_id)
        if unit is None:
            abort(404)
        if not can(current_user, Action.VIEW_STATISTICS, unit):
            abort(403)
        units = frozenset({unit_id})
    form_code = request.args.get("hinh_thuc", "")[:20] or None
    kind = request.args.get("doi_tuong") or None
    if kind not in (None, *(k.value for k in NomineeKind)):
        kind = None
    f = queries.Filters(
        year_from=int_arg("tu_nam", lo=1900, hi=9999),
        year_to=int_arg("den_nam", lo=1900, hi=9999),
        units=units,
        form_code=form_code,
        kind=kind,
    )
    args = {
        k: v
        for k, v in (
            ("tu_nam", f.year_from),
            ("den_nam", f.year_to),
            ("don_vi", unit_id),
            ("hinh_thuc", form_code),
            ("doi_tuong", kind),
        )
        if v
    }
    return f, args


def _campaign() -> Campaign | None:
    chosen = int_arg("dot")
    if chosen:
        campaign = db.session.get(Campaign, chosen)
        if campaign is None:
            abort(404)
        return campaign
    return db.session.scalars(
        select(Campaign).order_by(Campaign.year.desc(), Campaign.id.desc())
    ).first()


def _progress(campaign: Campaign, units: frozenset[int] | None) -> queries.Progress:
    """The campaign's progress and the intake checks' tally (the costly part: rules.check
    over every nominee), computed once per request whatever asks for it."""
    # Kept in the request's environ, not in g: an app context may outlive one request.
    memo = request.environ.setdefault("dossier.stats_progress", {})
    key = (campaign.id, units)
    if key not in memo:
        memo[key] = queries.progress(campaign, units)
    return memo[key]


def _series(name: str, f: queries.Filters, campaign: Campaign | None) -> queries.Series:
    if name in AWARD_CHARTS:
        return queries.awards_by(name, f)
    if campaign is None:
        abort(404)
    progress = _progress(campaign, f.units)
    return (
        queries.progress_series(progress)
        if name == "progress"
        else queries.findings_series(progress)
    )


def filters_line(f: queries.Filters) -> str:
    parts = []
    if f.year_from or f.year_to:
        parts.append(f"Năm {f.year_from or '…'}–{f.year_to or '…'}")
    if f.units is not None:
        names = db.session.scalars(select(Unit.name).where(Unit.id.in_(f.units or {-1}))).all()
        parts.append("Đơn vị: " + (", ".join(names) or "—"))
    if f.form_code:
        parts.append(f"Hình thức: {f.form_code}")
    if f.kind:
        parts.append(NomineeKind(f.kind).title_vi)
    return "; ".join(parts) or "Mọi năm, mọi đơn vị"


@bp.get("/")
@guard(Action.VIEW_STATISTICS)
def index():
    f, args = _filters()
    campaign = _campaign()
    charts = [(name, queries.awards_by(name, f)) for name in AWARD_CHARTS]
    progress = _progress(campaign, f.units) if campaign else None
    campaign_charts = []
    if progress is not None:
        campaign_charts = [
            ("progress", queries.progress_series(progress)),
            ("findings", queries.findings_series(progress)),
        ]
    # The campaign's charts are drawn into the page (data: URIs, which the CSP allows) from
    # the progress computed above: as separate images each would run the checks again.
    inline = {name: svg_data_uri(series, campaign.name) for name, series in campaign_charts}
    units = reader_units()
    unit_stmt = select(Unit).where(Unit.active).order_by(Unit.sort_order, Unit.name)
    if units is not None:
        unit_stmt = unit_stmt.where(Unit.id.in_(units or {-1}))
    return render_template(
        "stats/index.html",
        charts=charts,
        campaign=campaign,
        campaign_charts=campaign_charts,
        progress=progress,
        campaigns=db.session.scalars(select(Campaign).order_by(Campaign.year.desc())).all(),
        units=db.session.scalars(unit_stmt).all(),
        forms=db.session.scalars(select(AwardForm).order_by(AwardForm.sort_order)).all(),
        years=queries.years(units),
        args=args,
        f=f,
        filters_line=filters_line(f),
        kinds=NomineeKind,
        all_units=units is None,
        inline=inline,
    )


def svg_data_uri(series: queries.Series, subtitle: str) -> str:
    body = base64.b64encode(bar_chart(series, subtitle).encode()).decode()
    return "data:image/svg+xml;base64," + body


@bp.get(
    "/bieu-do/<any(form, unit, year, gender, worker, progress, findings):name>.<any(svg, png):fmt>"
)
@guard(Action.VIEW_STATISTICS)
def chart(name, fmt="svg"):
    """One chart as SVG (drawn here), or as PNG (that SVG rasterised by CairoSVG)."""
    f, _ = _filters()
    campaign = _campaign() if name in CAMPAIGN_CHARTS else None
    series = _series(name, f, campaign)
    subtitle = campaign.name if campaign else filters_line(f)
    headers = {"Cache-Control": "private, no-store"}
    if request.args.get("tai"):
        headers["Content-Disposition"] = f'attachment; filename="thong-ke-{name}.{fmt}"'
    svg = bar_chart(series, subtitle)
    if fmt == "png":
        return Response(to_png(svg), mimetype="image/png", headers=headers)
    return Response(svg, mimetype="image/svg+xml", headers=headers)


@bp.get("/du-lieu/<any(form, unit, year, gender, worker, progress, findings, all):name>.xlsx")
@guard(Action.VIEW_STATISTICS)
def data(name):
    f, _ = _filters()
    names = AWARD_CHARTS if name == "all" else (name,)
    campaign = _campaign() if name in CAMPAIGN_CHARTS else None
    body = series_xlsx([_series(n, f, campaign) for n in names], filters_line(f))
    return Response(
        body,
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="thong-ke-{name}.xlsx"'},
    )


def chart_url(endpoint: str, name: str, args: dict, **extra) -> str:
    return url_for(endpoint, name=name, **args, **extra)


@bp.get("/bao-cao-nam/<int:year>.<any(xlsx, pdf):fmt>")
@guard(Action.VIEW_STATISTICS)
def yearly_report(year, fmt):
    """The yearly statistics report (Sở's figures; a unit head: their unit's)."""
    from ..org.models import Agency
    from . import report

    if not 1900 <= year <= 9999:
        abort(404)

    built = report.build(year, reader_units())
    agency = Agency.get().name
    if fmt == "xlsx":
        body, mime = report.to_xlsx(built, agency), XLSX
    else:
        body, mime = report.to_pdf(built, agency), "application/pdf"
    return Response(
        body,
        mimetype=mime,
        headers={"Content-Disposition": f'attachment; filename="bao-cao-thong-ke-{year}.{fmt}"'},
    )


@bp.route("/mau-bao-cao", methods=["GET", "POST"])
@guard(Action.MANAGE_CAMPAIGNS)
def report_setting():
    """The Văn phòng edits the yearly report's wording (its form is not confirmed)."""
    from .. import audit
    from .forms import ReportSettingForm
    from .models import ReportSetting

    setting = ReportSetting.get()
    form = ReportSettingForm(obj=setting)
    if form.validate_on_submit():
        form.populate_obj(setting)
        audit.record(
            actor=current_user,
            action="stats_report_setting.update",
            object_type="stats_report_setting",
            object_id=setting.id,
            data={"confirmed": setting.confirmed},
        )
        db.session.commit()
        flash("Đã lưu mẫu báo cáo thống kê năm.", "success")
        return redirect(url_for(".report_setting"))
    return render_template("stats/report_setting.html", form=form, setting=setting)
