"""The permission layer: every view, template, API call and CLI command asks `can()`.

A rule is a pure function `(user, obj) -> bool`. Views declare themselves with `@public`
or `@guard(action, load=Model)`; a test walks the URL map and fails on any route that
declares neither, so no endpoint escapes this module.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from enum import StrEnum
from functools import wraps

from flask import abort, g, has_app_context
from flask_login import current_user

from .enums import CouncilPosition, Role
from .extensions import db, login_manager


class Action(StrEnum):
    HOME = "home"
    CHANGE_OWN_PASSWORD = "change_own_password"
    DELEGATE = "delegate"  # name one's own substitute
    CANCEL_DELEGATION = "cancel_delegation"  # obj: delegation
    ADMIN = "admin"  # agency settings, units, staff, accounts, roles
    VIEW_AUDIT = "view_audit"
    VIEW_STAFF = "view_staff"
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
    CHAIR_MEETING = "chair_meeting"  # the Chủ tịch opens, closes, reopens the vote
    SECRETARY = "secretary"  # the Thư ký enters paper tallies and written votes
    VOTE = "vote"
    # decisions
    VIEW_DECISION = "view_decision"
    DRAFT_DECISION = "draft_decision"
    ISSUE_DECISION = "issue_decision"
    PRINT_CERTIFICATES = "print_certificates"  # obj: an issued decision
    MANAGE_CERTIFICATES = "manage_certificates"  # the certificate templates


Rule = Callable[[object, object], bool]
RULES: dict[Action, Rule] = {}


def rule(action: Action):
    def register(fn: Rule) -> Rule:
        RULES[action] = fn
        return fn

    return register


def can(user, action: Action | str, obj=None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    rule_fn = RULES[Action(action)]
    return _attributed(user, lambda: rule_fn(user, obj))


# --- substitution: on whose behalf is this allowed? --------------------------------------


def _attributed(user, check: Callable[[], bool]) -> bool:
    """Run a permission check; when it passes only through a delegation (the user stands in
    for someone today), remember that delegation so the audit trail names both people.

    The last check before an act is the one that allowed it (the guard, then the
    operation's own check), so each check overwrites what the previous one noted.
    """
    if getattr(user, "_role_scope", None) is not None:
        return check()  # already narrowed by the caller (the inbox, an outer check)
    delegations = user.delegations_in_force() if hasattr(user, "delegations_in_force") else []
    if not delegations:
        allowed = check()
        _note(user, None)
        return allowed
    with user.acting_as("own"):
        if check():
            _note(user, None)
            return True
    for delegation in delegations:
        with user.acting_as(delegation):
            if check():
                _note(user, delegation)
                return True
    allowed = check()  # own and delegated roles together (rare): no single "on behalf of"
    _note(user, None)
    return allowed


def _note(user, delegation) -> None:
    if has_app_context() and not g.get("access_quiet"):
        g.acting_for = (user.id, delegation)


@contextmanager
def quietly():
    """Checks that only decide what a page shows (templates) leave the noted act alone."""
    previous = g.get("access_quiet", False) if has_app_context() else False
    if has_app_context():
        g.access_quiet = True
    try:
        yield
    finally:
        if has_app_context():
            g.access_quiet = previous


def acting_for(actor):
    """The delegation through which `actor`'s last permission check passed, if any."""
    if actor is None or not has_app_context():
        return None
    noted = g.get("acting_for")
    if noted is None or noted[0] != getattr(actor, "id", None):
        return None
    return noted[1]


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


@rule(Action.CANCEL_DELEGATION)
def _cancel_delegation(user, delegation) -> bool:
    return delegation is not None and (
        delegation.delegator_id == user.id or user.has_role(Role.ADMIN)
    )


@rule(Action.VIEW_STAFF)
def _view_staff(user, obj) -> bool:
    if _any(user, Role.ADMIN, Role.OFFICE, Role.DIRECTOR):
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
    from .org.models import Unit

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


@rule(Action.CHAIR_MEETING)
def _chair(user, meeting) -> bool:
    return _council(user, meeting, CouncilPosition.CHAIR)


@rule(Action.SECRETARY)
def _secretary(user, meeting) -> bool:
    return _council(user, meeting, CouncilPosition.SECRETARY)


@rule(Action.VOTE)
def _vote(user, meeting) -> bool:
    return _council(user, meeting)


@rule(Action.VIEW_DECISION)
def _view_decision(user, decision) -> bool:
    """Drafts: the Văn phòng and the Director. Issued: also the units it awards."""
    if _any(user, Role.OFFICE, Role.DIRECTOR):
        return True
    if decision is None or decision.state != "issued":
        return False
    units = user.unit_ids(*UNIT_ROLES)
    return any(a.unit_id in units for a in decision.awards)


@rule(Action.DRAFT_DECISION)
def _draft_decision(user, obj) -> bool:
    return user.has_role(Role.OFFICE)


@rule(Action.PRINT_CERTIFICATES)
def _print_certificates(user, decision) -> bool:
    """The Văn phòng prints them, as it downloads the decision; only once it is issued."""
    return user.has_role(Role.OFFICE) and (decision is None or decision.state == "issued")


@rule(Action.MANAGE_CERTIFICATES)
def _manage_certificates(user, obj) -> bool:
    return user.has_role(Role.OFFICE)


@rule(Action.ISSUE_DECISION)
def _issue_decision(user, decision) -> bool:
    return user.has_role(Role.DIRECTOR)


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
    return dossier.state != "draft" and _any(user, Role.OFFICE, Role.DIRECTOR)


@rule(Action.EDIT_DOSSIER)
def _edit_dossier(user, dossier) -> bool:
    from .workflow import EDITABLE_STATES

    dossier = _dossier_of(dossier)
    return (
        dossier is not None
        and dossier.state in EDITABLE_STATES
        and in_unit(user, dossier.unit_id, *UNIT_ROLES)
    )


@rule(Action.CONFIRM_REPORT)
def _confirm_report(user, dossier) -> bool:
    dossier = _dossier_of(dossier)
    return _edit_dossier(user, dossier) and in_unit(user, dossier.unit_id, Role.UNIT_HEAD)


def can_fire(user, trigger: str, obj) -> bool:
    """May this user fire this workflow trigger on this object? Read from the table's roles."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return _attributed(user, lambda: _can_fire(user, trigger, obj))


def _can_fire(user, trigger: str, obj) -> bool:
    from .workflow import transition_roles

    if not RULES[Action.VIEW_DOSSIER](user, obj) and not _any(user, Role.OFFICE):
        return False
    for role in transition_roles(trigger):
        role = Role(role)
        if role.unit_scoped:
            if in_unit(user, obj.unit_id, role):
                return True
        elif user.has_role(role):
            return True
    return False


def is_council_chair(user) -> bool:
    return user.council_position() == CouncilPosition.CHAIR


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
