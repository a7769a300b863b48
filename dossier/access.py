"""The permission layer: every view, template, API call and CLI command asks `can()`.

A rule is a pure function `(principal, obj) -> bool`; `can()` judges it with the user's own
roles, then with each delegation's, and returns a Verdict (truthy, and on whose behalf).
Views declare themselves with `@public` or `@guard(action, load=Model)`; a test walks the
URL map and fails on any route that declares neither, so no endpoint escapes this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps

from flask import abort
from flask_login import current_user

from .enums import CouncilPosition, Role
from .errors import DomainError
from .extensions import db, login_manager
from .org.models import Unit

# Who is asking (Principal, Grant) and the answer (Verdict, judge): principal.py, re-exported.
from .principal import DENIED as DENIED
from .principal import Grant as Grant
from .principal import Principal, Verdict, judge
from .principal import principals as principals
from .states import DecisionState, DossierState


class Action(StrEnum):
    HOME = "home"
    CHANGE_OWN_PASSWORD = "change_own_password"
    DELEGATE = "delegate"  # name one's own substitute
    ADMIN = "admin"  # agency settings, units, staff, accounts, roles
    VIEW_AUDIT = "view_audit"
    VIEW_STAFF = "view_staff"
    EDIT_STAFF_FACTS = "edit_staff_facts"  # yearly ratings, initiatives, disciplines
    # campaigns and award forms
    VIEW_CAMPAIGNS = "view_campaigns"
    MANAGE_CAMPAIGNS = "manage_campaigns"
    # dossiers
    CREATE_DOSSIER = "create_dossier"  # obj: unit
    VIEW_DOSSIER = "view_dossier"
    EDIT_DOSSIER = "edit_dossier"
    CONFIRM_REPORT = "confirm_report"  # the unit head's explicit confirmation
    VIEW_ATTACHMENT = "view_attachment"
    GRANT_EXTENSION = "grant_extension"
    REVIEW_DOSSIER = "review_dossier"  # the Văn phòng's checks
    VIEW_LIST_VERSION = "view_list_version"  # the lists sent to the council
    VIEW_HISTORY = "view_history"
    # the council
    VIEW_MEETING = "view_meeting"
    MANAGE_MEETING = "manage_meeting"  # the Văn phòng prepares it: list, attendance
    SECRETARY = "secretary"  # the Thư ký enters paper tallies and written votes
    VOTE = "vote"
    # decisions
    VIEW_DECISION = "view_decision"
    DRAFT_DECISION = "draft_decision"
    MANAGE_REGISTER = "manage_register"  # the Văn thư: the register's sequences
    PRINT_CERTIFICATES = "print_certificates"  # obj: an issued decision
    MANAGE_CERTIFICATES = "manage_certificates"  # the certificate templates
    # statistics (Thống kê) and the yearly report
    VIEW_STATISTICS = "view_statistics"  # obj: None (the page) or a unit
    VIEW_ALL_STATISTICS = "view_all_statistics"  # every unit's figures


Rule = Callable[["Principal", object], bool]
RULES: dict[Action, Rule] = {}


def rule(action: Action):
    def register(fn: Rule) -> Rule:
        RULES[action] = fn
        return fn

    return register


def can(user, action: Action | str, obj=None) -> Verdict:
    rule_fn = RULES[Action(action)]
    return judge(user, lambda principal: rule_fn(principal, obj))


class Refused(DomainError):
    """The actor may not do this act (the operation's own check, in Vietnamese)."""


def require(user, action: Action | str, obj=None, message: str | None = None) -> Verdict:
    """`can()` for operations: the verdict, or Refused saying who may do it."""
    verdict = can(user, action, obj)
    if not verdict:
        raise Refused(message or "Anh/chị không có quyền thực hiện thao tác này.")
    return verdict


def _any(user, *roles: Role) -> bool:
    return any(user.has_role(r) for r in roles)


def in_unit(user, unit_id: int | None, *roles: Role) -> bool:
    return unit_id is not None and unit_id in user.unit_ids(*roles)


UNIT_ROLES = (Role.UNIT_HEAD, Role.UNIT_CLERK)


@rule(Action.HOME)
@rule(Action.CHANGE_OWN_PASSWORD)
@rule(Action.DELEGATE)
@rule(Action.VIEW_CAMPAIGNS)
def _signed_in(user, obj) -> bool:
    return True


@rule(Action.ADMIN)
@rule(Action.VIEW_AUDIT)
def _admin(user, obj) -> bool:
    return user.has_role(Role.ADMIN)


@rule(Action.VIEW_STAFF)
def _view_staff(user, obj) -> bool:
    if _any(user, Role.ADMIN, Role.OFFICE, Role.DIRECTOR):
        return True
    return obj is not None and in_unit(user, getattr(obj, "unit_id", None), *UNIT_ROLES)


@rule(Action.EDIT_STAFF_FACTS)
def _edit_staff_facts(user, obj) -> bool:
    """The person's unit enters them; the Văn phòng too (and imports them for all)."""
    if user.has_role(Role.OFFICE):
        return True
    return obj is not None and in_unit(user, getattr(obj, "unit_id", None), *UNIT_ROLES)


@rule(Action.MANAGE_CAMPAIGNS)
@rule(Action.GRANT_EXTENSION)
@rule(Action.REVIEW_DOSSIER)
def _office(user, obj) -> bool:
    return user.has_role(Role.OFFICE)


@rule(Action.VIEW_LIST_VERSION)
def _list_readers(user, obj) -> bool:
    return _any(user, Role.OFFICE, Role.COUNCIL, Role.DIRECTOR)


@rule(Action.VIEW_HISTORY)
def _history_readers(user, obj) -> bool:
    """The Văn phòng, the Director, the admin see all; a unit its own (obj: unit, person,
    record)."""
    if _any(user, Role.OFFICE, Role.DIRECTOR, Role.ADMIN):
        return True
    if obj is None:
        return False

    unit_id = obj.id if isinstance(obj, Unit) else getattr(obj, "unit_id", None)
    return in_unit(user, unit_id, *UNIT_ROLES)


def _council(user, meeting, *positions) -> bool:
    year = getattr(meeting, "year", None)
    position = user.council_position(year)
    return position is not None and (not positions or position in positions)


@rule(Action.VIEW_MEETING)
def _view_meeting(user, meeting) -> bool:
    return _any(user, Role.OFFICE, Role.DIRECTOR) or _council(user, meeting)


@rule(Action.MANAGE_MEETING)
def _manage_meeting(user, meeting) -> bool:
    return user.has_role(Role.OFFICE)


@rule(Action.SECRETARY)
def _secretary(user, meeting) -> bool:
    return _council(user, meeting, CouncilPosition.SECRETARY)


@rule(Action.VOTE)
def _vote(user, meeting) -> bool:
    return _council(user, meeting)


@rule(Action.VIEW_DECISION)
def _view_decision(user, decision) -> bool:
    """Drafts: the Văn phòng, the Director and the Văn thư. Issued: also the units it
    awards."""
    if _any(user, Role.OFFICE, Role.DIRECTOR, Role.CLERK):
        return True
    if decision is None or not decision.issued:
        return False
    units = user.unit_ids(*UNIT_ROLES)
    return any(a.unit_id in units for a in decision.awards)


@rule(Action.DRAFT_DECISION)
def _draft_decision(user, obj) -> bool:
    return user.has_role(Role.OFFICE)


@rule(Action.PRINT_CERTIFICATES)
def _print_certificates(user, decision) -> bool:
    """The Văn phòng prints them, as it downloads the decision; only once it is issued."""
    return user.has_role(Role.OFFICE) and (
        decision is None or decision.state == DecisionState.ISSUED
    )


@rule(Action.MANAGE_CERTIFICATES)
def _manage_certificates(user, obj) -> bool:
    return user.has_role(Role.OFFICE)


@rule(Action.MANAGE_REGISTER)
def _clerk(user, obj) -> bool:
    """The Văn thư gives numbers from the agency's register (Nghị định 30/2020, Điều 15)."""
    return user.has_role(Role.CLERK)


@rule(Action.VIEW_ALL_STATISTICS)
def _all_statistics(user, obj) -> bool:
    return _any(user, Role.OFFICE, Role.DIRECTOR)


@rule(Action.VIEW_STATISTICS)
def _statistics(user, unit) -> bool:
    """The Văn phòng and the Director: every unit; a unit head: their own unit."""
    if _all_statistics(user, unit):
        return True
    if not isinstance(unit, Unit):  # the page, or a campaign: their unit's figures
        return bool(user.unit_ids(Role.UNIT_HEAD))
    return in_unit(user, unit.id, Role.UNIT_HEAD)


@rule(Action.CREATE_DOSSIER)
def _create_dossier(user, unit) -> bool:
    return unit is not None and in_unit(user, unit.id, *UNIT_ROLES)


@rule(Action.VIEW_ATTACHMENT)
def _view_attachment(user, attachment) -> bool:
    return attachment is not None and _view_dossier(user, attachment.dossier)


def _dossier_of(obj):
    """Rules on a dossier also judge what it holds (a nominee, an attachment)."""
    return getattr(obj, "dossier", obj)


@rule(Action.VIEW_DOSSIER)
def _view_dossier(user, dossier) -> bool:
    dossier = _dossier_of(dossier)
    if dossier is None:
        return False
    if in_unit(user, dossier.unit_id, *UNIT_ROLES):
        return True
    # The Văn phòng and the Director see what has been sent to them, never a unit's draft.
    return dossier.state != DossierState.DRAFT and _any(user, Role.OFFICE, Role.DIRECTOR)


@rule(Action.EDIT_DOSSIER)
def _edit_dossier(user, dossier) -> bool:
    dossier = _dossier_of(dossier)
    return dossier is not None and dossier.editable and in_unit(user, dossier.unit_id, *UNIT_ROLES)


@rule(Action.CONFIRM_REPORT)
def _confirm_report(user, dossier) -> bool:
    dossier = _dossier_of(dossier)
    return _edit_dossier(user, dossier) and in_unit(user, dossier.unit_id, Role.UNIT_HEAD)


# --- the roles a workflow row names, resolved against the object -------------------------


def _unit_of(obj) -> int | None:
    return getattr(obj, "unit_id", None)


def _year_of(obj) -> int | None:
    """The year whose council judges the object: a meeting's own year, else the campaign's."""
    year = getattr(obj, "year", None)
    if year is None and getattr(obj, "campaign", None) is not None:
        year = obj.campaign.year
    return year


@dataclass(frozen=True)
class RoleCheck:
    title: str  # as the workflow page shows it
    check: Callable[[Principal, object], bool]


def _position(*positions: CouncilPosition) -> Callable[[Principal, object], bool]:
    def check(p: Principal, obj) -> bool:
        position = p.council_position(_year_of(obj))
        return position is not None and (not positions or position in positions)

    return check


ROLES: dict[str, RoleCheck] = {
    "unit_head": RoleCheck(
        "Thủ trưởng đơn vị có hồ sơ", lambda p, o: in_unit(p, _unit_of(o), Role.UNIT_HEAD)
    ),
    "unit_clerk": RoleCheck(
        "Cán bộ lập hồ sơ của đơn vị", lambda p, o: in_unit(p, _unit_of(o), Role.UNIT_CLERK)
    ),
    "office": RoleCheck(Role.OFFICE.title_vi, lambda p, o: p.has_role(Role.OFFICE)),
    "director": RoleCheck(Role.DIRECTOR.title_vi, lambda p, o: p.has_role(Role.DIRECTOR)),
    "admin": RoleCheck(Role.ADMIN.title_vi, lambda p, o: p.has_role(Role.ADMIN)),
    "clerk": RoleCheck("Văn thư", lambda p, o: p.has_role(Role.CLERK)),
    "council_member": RoleCheck("Thành viên Hội đồng của năm", _position()),
    "council_chair": RoleCheck("Chủ tịch Hội đồng của năm", _position(CouncilPosition.CHAIR)),
    "council_secretary": RoleCheck("Thư ký Hội đồng của năm", _position(CouncilPosition.SECRETARY)),
    "delegator": RoleCheck(
        "Người đã giao việc làm thay", lambda p, o: getattr(o, "delegator_id", None) == p.id
    ),
}


def may_fire(user, roles, obj) -> Verdict:
    """May this user fire a workflow row naming `roles` on this object? Pure, like can()."""
    checks = [ROLES[name].check for name in roles]
    return judge(user, lambda principal: any(check(principal, obj) for check in checks))


# --- view declarations -------------------------------------------------------------


def public(view):
    view._access = "public"
    return view


def guard(action: Action, load=None):
    """Sign-in required, then `can(user, action, obj)`; `load` turns the URL's id into obj."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            obj = None
            if load is not None:
                key = next(k for k in kwargs if k.endswith("_id"))
                obj = db.session.get(load, kwargs.pop(key))
                if obj is None:
                    abort(404)
            if not can(current_user, action, obj):
                abort(403)
            return view(obj, *args, **kwargs) if load is not None else view(*args, **kwargs)

        wrapped._access = action
        return wrapped

    return decorate


def authorize(action: Action, obj=None) -> None:
    """For views whose object is not in the URL (e.g. a unit chosen in a form)."""
    if not can(current_user, action, obj):
        abort(403)
