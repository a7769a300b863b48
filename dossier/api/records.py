"""The API's records: issued decisions (with their signed PDF), award histories, statistics."""

from __future__ import annotations

from flask import Response, g, url_for
from flask_smorest import abort
from sqlalchemy import func, select

from ..access import UNIT_ROLES, Action, can
from ..campaigns.models import Campaign
from ..decisions.models import Decision, DecisionAward
from ..enums import Role
from ..extensions import db
from ..history.models import AwardRecord
from ..org.models import Agency, Staff, Unit
from ..states import DECISION_ISSUED
from ..stats import queries
from . import schemas as s
from .auth import api_guard
from .blueprint import blp


def decision_out(d: Decision, code: str, *, detail: bool = False) -> dict:
    out = {
        "id": d.id,
        "campaign_id": d.campaign_id,
        "state": d.state,
        "year": d.year,
        "number": d.number,
        "symbol": f"{d.number:02d}/QĐ-{code}",
        "issued_on": d.issued_on,
        "subject": d.subject,
        "signer_name": d.signer_name,
        "pdf_signed": d.signed,
        "corrects_id": d.corrects_id,
        "pdf_url": url_for("api.decision_pdf", decision_id=d.id),
    }
    if detail:
        out["awards"] = d.awards
    return out


def _issued(decision: Decision) -> Decision:
    if not decision.issued:
        abort(404, message="Chỉ quyết định đã ban hành mới đọc được qua API.")
    return decision


@blp.route("/decisions")
@blp.arguments(s.DecisionArgs, location="query")
@blp.response(200, s.DecisionPage)
@api_guard(Action.HOME)
def decisions(args):
    """Issued decisions the caller may see: every one for the Văn phòng and the Director,
    those awarding someone of their unit for a unit (access.VIEW_DECISION)."""
    user = g.api_token.user
    where = [Decision.state.in_(DECISION_ISSUED)]
    if not can(user, Action.VIEW_DECISION, None):  # not the Văn phòng nor the Director
        units = user.unit_ids(*UNIT_ROLES) or {-1}
        where.append(
            Decision.id.in_(
                select(DecisionAward.decision_id).where(DecisionAward.unit_id.in_(units))
            )
        )
    if "year" in args:
        where.append(Decision.year == args["year"])
    page, per_page = args["page"], args["per_page"]
    total = db.session.scalar(select(func.count(Decision.id)).where(*where))
    rows = db.session.scalars(
        select(Decision)
        .where(*where)
        .order_by(Decision.year.desc(), Decision.number.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    code = Agency.get().short_code
    items = [decision_out(d, code) for d in rows if can(user, Action.VIEW_DECISION, d)]
    return {"items": items, "page": page, "per_page": per_page, "total": total}


@blp.route("/decisions/<int:decision_id>")
@blp.response(200, s.DecisionDetail)
@api_guard(Action.VIEW_DECISION, load=Decision)
def decision(decision):
    """One issued decision and its awardees (the appendix)."""
    return decision_out(_issued(decision), Agency.get().short_code, detail=True)


@blp.route("/decisions/<int:decision_id>/pdf")
@blp.response(200, content_type="application/pdf", description="The PDF as issued (signed)")
@api_guard(Action.VIEW_DECISION, load=Decision)
def decision_pdf(decision):
    """The issued decision's PDF, byte for byte as issued (PAdES-signed when signing is set
    up); check it at /quyet-dinh/kiem-tra."""
    from ..decisions.export import export

    body, mime, name = export(_issued(decision), "pdf")
    return Response(
        body, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


ORDER = (AwardRecord.year.desc(), AwardRecord.decision_date.desc(), AwardRecord.id)


@blp.route("/people/<int:staff_id>/awards")
@blp.response(200, s.PersonHistory)
@api_guard(Action.VIEW_STAFF, load=Staff)
def person_awards(staff):
    """A person's award history (for the HR system's sync to the national cadre database):
    awards tied to the staff register, revoked ones included and marked. Archive rows with
    the same name not tied to anyone are left out (the page shows them as "có thể là")."""
    records = db.session.scalars(
        select(AwardRecord).where(AwardRecord.staff_id == staff.id).order_by(*ORDER)
    ).all()
    return {"person": staff, "awards": records}


@blp.route("/units/<int:unit_id>/awards")
@blp.response(200, s.UnitHistory)
@blp.arguments(s.DecisionArgs, location="query")
@api_guard(Action.VIEW_HISTORY, load=Unit)
def unit_awards(unit, args):
    """A unit's award history: the collective's own awards and its people's, by year."""
    stmt = select(AwardRecord).where(AwardRecord.unit_id == unit.id)
    if "year" in args:
        stmt = stmt.where(AwardRecord.year == args["year"])
    records = db.session.scalars(stmt.order_by(*ORDER)).all()
    return {"unit": unit, "awards": records}


def statistics_scope(user, unit_id: int | None) -> frozenset[int] | None:
    """None for every unit; else the units this reader's figures may count."""
    if unit_id is not None:
        unit = db.session.get(Unit, unit_id)
        if unit is None:
            abort(404, message="Không tìm thấy đơn vị.")
        if not can(user, Action.VIEW_STATISTICS, unit):
            abort(403, message="Anh/chị chỉ xem được thống kê của đơn vị mình.")
        return frozenset({unit_id})
    if can(user, Action.VIEW_ALL_STATISTICS):
        return None
    return frozenset(user.unit_ids(Role.UNIT_HEAD))


@blp.route("/statistics/awards")
@blp.arguments(s.StatArgs, location="query")
@blp.response(200, s.StatOut)
@api_guard(Action.VIEW_STATISTICS)
def statistics(args):
    """Awards counted by form, unit, year, gender or leaders/direct workers (the dashboard's
    charts as data); a unit head's counts are their unit's only."""
    units = statistics_scope(g.api_token.user, args.get("unit_id"))
    f = queries.Filters(
        year_from=args.get("year_from"),
        year_to=args.get("year_to"),
        units=units,
        form_code=args.get("form_code"),
        kind=args.get("kind"),
    )
    series = queries.awards_by(args["dimension"], f)
    return {
        "dimension": series.dimension,
        "title": series.title,
        "rows": [{"key": k, "label": label, "count": n} for k, label, n in series.rows],
        "total": series.total,
    }


@blp.route("/campaigns/<int:campaign_id>/progress")
@blp.response(200, s.ProgressOut)
@api_guard(Action.VIEW_STATISTICS, load=Campaign)
def progress(campaign):
    """During a campaign: each unit's dossier against its cut-off, with the checks' findings
    (a unit head: their unit only)."""
    units = statistics_scope(g.api_token.user, None)
    return queries.progress(campaign, units)
