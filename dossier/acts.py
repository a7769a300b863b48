"""One view for every workflow act: the button partial posts here, the table decides.

`POST /ho-so/<id>/thao-tac/<trigger>` (a dossier), `/hoi-dong/<id>/thao-tac/<trigger>` (a
council meeting), `/quyet-dinh/<id>/thao-tac/<trigger>` (a decision): load the object or
404, refuse with 403 whoever may not see it, 404 a trigger its table does not have (or one
only the system fires), then perform the row (its operation, or the bare transition): the
engine checks the row's roles, the state and the guards. Success says the row's "done";
a refusal says why, item by item, and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from .access import Action, authorize, guard
from .council.models import Meeting
from .decisions.models import Decision
from .errors import acting
from .extensions import db
from .forms import ActForm
from .nominations.models import Dossier
from .params import form_texts, parse_int
from .workflow import allowed, flow_of, perform

bp = Blueprint("acts", __name__)


@dataclass(frozen=True)
class Target:
    """Where an object's acts are posted, who may see it, and its page."""

    model: type
    prefix: str
    view: Action
    page: str  # the endpoint of the object's page
    arg: str  # that endpoint's id argument


TARGETS = {
    "dossier": Target(Dossier, "/ho-so", Action.VIEW_DOSSIER, "nominations.show", "dossier_id"),
    "meeting": Target(Meeting, "/hoi-dong", Action.VIEW_MEETING, "council.show", "meeting_id"),
    "decision": Target(
        Decision, "/quyet-dinh", Action.VIEW_DECISION, "decisions.show", "decision_id"
    ),
}


def page_of(obj) -> str:
    target = TARGETS[flow_of(obj).object_type]
    return url_for(target.page, **{target.arg: obj.id})


@guard(Action.HOME)  # signed in; who may fire the row is the engine's to say
def act(kind: str, object_id: int, trigger: str):
    target = TARGETS[kind]
    obj = db.session.get(target.model, object_id)
    if obj is None:
        abort(404)
    authorize(target.view, obj)
    return do(obj, trigger)


def old_url(obj, trigger: str):
    """The first URL of one act, kept: its page's guard (may see the object) is the
    caller's; then 403, as that URL always answered, unless the row's roles allow the user
    (the row is the only place who may fire it is written); then the act as `do` does it."""
    if not allowed(current_user, obj, trigger):
        abort(403)
    return do(obj, trigger)


def do(obj, trigger: str):
    """Perform `trigger` on `obj` from the posted form (the act view, and `old_url`)."""
    row = flow_of(obj).row(trigger)
    if row is None or row.get("fired_by") or row.get("page", "show") != "show":
        abort(404)
    form = ActForm()
    back = page_of(obj)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
        return redirect(back)
    with acting() as outcome:
        perform(
            current_user,
            obj,
            trigger,
            version=form.version.data or None,
            comment=form.comment.data,
            items=_fix_items(obj) if "fix_list" in row["guards"] else None,
            number=(form.number.data or "") if row.get("register") else None,
        )
    if outcome.refused:
        return redirect(back)
    db.session.commit()
    flash(row.get("done") or f"Đã {row['title'][:1].lower()}{row['title'][1:]}.", "success")
    return redirect(back)


def _fix_items(obj) -> list[dict]:
    """The fix list's rows: target (a nominee of this object, or 0), component, reason;
    rows without a reason are dropped."""
    ids = {n.id for n in obj.nominees}
    items = []
    for target, component, reason in zip(
        request.form.getlist("fix_target"),
        form_texts("fix_component", "Thành phần cần bổ sung"),
        form_texts("fix_reason", "Lý do, nội dung cần bổ sung"),
        strict=False,
    ):
        if not reason:
            continue
        nominee_id = parse_int(target)
        nominee_id = nominee_id if nominee_id in ids else None
        items.append({"nominee_id": nominee_id, "component": component, "reason": reason})
    return items


for _kind, _target in TARGETS.items():
    bp.add_url_rule(
        f"{_target.prefix}/<int:object_id>/thao-tac/<trigger>",
        endpoint="act",
        view_func=act,
        methods=["POST"],
        defaults={"kind": _kind},
    )
