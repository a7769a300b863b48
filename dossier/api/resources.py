"""The API's read and act endpoints on campaigns and dossiers, and who the caller is."""

from __future__ import annotations

from flask import g
from flask_smorest import abort
from sqlalchemy import func, or_, select

from ..access import UNIT_ROLES, Action, can
from ..campaigns.models import Campaign
from ..enums import Role
from ..errors import ConflictError, DomainError
from ..extensions import db
from ..intake import findings
from ..nominations.models import Dossier
from ..states import DossierState
from ..workflow import flow_of, perform
from . import schemas as s
from .auth import api_guard
from .blueprint import blp


@blp.route("/me")
@blp.response(200, s.MeOut)
@api_guard(Action.HOME)
def me():
    """Who the token acts as: account, roles in force, units, the token's scopes and expiry."""
    user, token = g.api_token.user, g.api_token
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted({str(r.role) for r in user.current_roles()}),
        "unit_ids": sorted(user.unit_ids(*UNIT_ROLES)),
        "token": {
            "name": token.name,
            "scopes": sorted(token.scope_set),
            "expires_at": token.expires_at,
        },
    }


def campaign_out(c: Campaign) -> dict:
    return {
        "id": c.id,
        "name": c.name,
        "year": c.year,
        "kind": c.kind,
        "cutoff_at": c.cutoff_at,
        "plan_reference": c.plan_reference,
        "award_forms": [
            {
                "code": f.code,
                "name": f.name,
                "level": f.level,
                "subject": f.subject,
                "is_title": f.is_title,
            }
            for f in c.award_forms
        ],
    }


@blp.route("/campaigns")
@blp.response(200, s.CampaignOut(many=True))
@api_guard(Action.VIEW_CAMPAIGNS)
def campaigns():
    """Every campaign (đợt thi đua), newest cut-off first, with its award forms."""
    rows = db.session.scalars(select(Campaign).order_by(Campaign.year.desc(), Campaign.id.desc()))
    return [campaign_out(c) for c in rows]


@blp.route("/campaigns/<int:campaign_id>")
@blp.response(200, s.CampaignOut)
@api_guard(Action.VIEW_CAMPAIGNS, load=Campaign)
def campaign(campaign):
    """One campaign."""
    return campaign_out(campaign)


@blp.route("/campaigns/<int:campaign_id>/consolidated")
@blp.response(200, s.ConsolidatedOut)
@api_guard(Action.REVIEW_DOSSIER, load=Campaign)
def consolidated(campaign):
    """The live consolidated list (danh sách tổng hợp) with the automatic checks' findings:
    the Văn phòng's page "Danh sách tổng hợp", as data."""
    return findings.build(campaign)


def dossier_out(d: Dossier, *, detail: bool = False) -> dict:
    out = {
        "id": d.id,
        "campaign_id": d.campaign_id,
        "unit": d.unit,
        "seq": d.seq,
        "state": d.state,
        "state_title": DossierState(d.state).title_vi,
        "version": d.version,
        "revision": d.revision,
        "submitted_at": d.submitted_at,
        "letter_number": d.letter_number,
    }
    if detail:
        out["nominees"] = d.nominees
    return out


def visible_dossiers(user):
    """The dossiers the pages show this user: their units' own (drafts too) and, for the
    Văn phòng and the Director, every dossier sent to them (never a unit's draft)."""
    conditions = [Dossier.unit_id.in_(user.unit_ids(*UNIT_ROLES) or {-1})]
    if user.has_role(Role.OFFICE) or user.has_role(Role.DIRECTOR):
        conditions.append(Dossier.state != DossierState.DRAFT)
    return or_(*conditions)


@blp.route("/dossiers")
@blp.arguments(s.DossierArgs, location="query")
@blp.response(200, s.DossierPage)
@api_guard(Action.HOME)
def dossiers(args):
    """Dossiers the caller may see, scoped as on the pages (access.VIEW_DOSSIER)."""
    user = g.api_token.user
    where = [visible_dossiers(user)]
    if "campaign_id" in args:
        where.append(Dossier.campaign_id == args["campaign_id"])
    if "state" in args:
        where.append(Dossier.state == args["state"])
    page, per_page = args["page"], args["per_page"]
    total = db.session.scalar(select(func.count(Dossier.id)).where(*where))
    rows = db.session.scalars(
        select(Dossier)
        .where(*where)
        .order_by(Dossier.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    items = [dossier_out(d) for d in rows if can(user, Action.VIEW_DOSSIER, d)]
    return {"items": items, "page": page, "per_page": per_page, "total": total}


@blp.route("/dossiers/<int:dossier_id>")
@blp.response(200, s.DossierDetail)
@api_guard(Action.VIEW_DOSSIER, load=Dossier)
def dossier(dossier):
    """One dossier: its state and its nominees."""
    return dossier_out(dossier, detail=True)


def act_on(obj, trigger: str, args: dict) -> dict:
    """Fire a workflow row as the token's user: the engine checks roles, state and guards
    and writes the audit event, exactly as the page's button does (acts.py)."""
    row = flow_of(obj).row(trigger)
    if row is None or row.get("fired_by") or row.get("page", "show") != "show":
        abort(404, message="Không có thao tác này.")
    items = args.get("fix_items") if "fix_list" in row["guards"] else None
    if items:
        ids = {n.id for n in getattr(obj, "nominees", [])}
        items = [
            {**i, "nominee_id": i.get("nominee_id") if i.get("nominee_id") in ids else None}
            for i in items
        ]
    try:
        with db.session.begin_nested():
            perform(
                g.api_token.user,
                obj,
                trigger,
                version=args.get("version") or getattr(obj, "version", None),
                comment=args.get("comment"),
                items=items,
            )
    except ConflictError as err:
        abort(409, message=err.message)
    except DomainError as err:
        abort(422, message=err.message, errors={"details": err.details})
    db.session.commit()
    flow = flow_of(obj)
    return {
        "object_type": flow.object_type,
        "id": obj.id,
        "state": obj.state,
        "state_title": flow.title(obj.state),
        "version": getattr(obj, "version", 0),
    }


@blp.route("/dossiers/<int:dossier_id>/acts/<string(maxlength=40):trigger>", methods=["POST"])
@blp.arguments(s.ActIn)
@blp.response(200, s.ActOut)
@blp.alt_response(409, schema=s.Error, description="Someone changed the dossier first")
@blp.alt_response(422, schema=s.Error, description="The act was refused; nothing changed")
@api_guard(Action.VIEW_DOSSIER, scope="write", load=Dossier)
def dossier_act(dossier, args, trigger):
    """Perform a workflow act on a dossier (submit, accept, return with a fix list…): the
    same rows, roles, guards, operations and audit events as the page's buttons."""
    return act_on(dossier, trigger, args)
