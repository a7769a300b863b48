"""The workflow engine: the only importer of `transitions`.

One module-level Machine per workflow holds the table from workflows/ (a Machine per row
costs 300–1,100 µs and hundreds of MB at 10,000 rows); `fire()` checks the actor, the
source state and the guards, moves the state, and writes the audit event in the caller's
transaction. Concurrent acts are settled in SQL: the model's version column makes the
second writer's UPDATE match no row (StaleDataError → ConflictError).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm.exc import StaleDataError
from transitions import Machine

from workflows import dossier as dossier_flow

from . import audit
from .access import Verdict, may_fire
from .errors import ConflictError, DomainError
from .extensions import db
from .timeutil import now

STATE_TITLES = {s["name"]: s["title"] for s in dossier_flow.STATES}
STATE_BADGES = {s["name"]: s["badge"] for s in dossier_flow.STATES}
TRANSITION_ROWS = {t["trigger"]: t for t in dossier_flow.TRANSITIONS}
STATE_STAMPS = {s["name"]: s["stamp"] for s in dossier_flow.STATES if s.get("stamp")}
EDITABLE_STATES = frozenset(dossier_flow.EDITABLE)

MACHINE = Machine(
    model=None,
    states=[s["name"] for s in dossier_flow.STATES],
    transitions=[
        {"trigger": t["trigger"], "source": t["source"], "dest": t["dest"]}
        for t in dossier_flow.TRANSITIONS
    ],
    initial=dossier_flow.INITIAL,
    auto_transitions=False,
    send_event=False,
)


@dataclass
class Context:
    """What an act carries besides the actor: a comment, a fix list, anything a guard reads."""

    actor: object
    comment: str | None = None
    items: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    # What access answered for the act (set by fire; an act the system does on someone's
    # behalf carries the verdict of the act that caused it). The audit reads it.
    verdict: Verdict | None = None


Guard = Callable[[object, Context], None]  # raises DomainError with the reasons
GUARDS: dict[str, Guard] = {}


def guard(name: str):
    def register(fn: Guard) -> Guard:
        GUARDS[name] = fn
        return fn

    return register


def allowed(user, trigger: str, obj) -> Verdict:
    """May `user` fire `trigger` on `obj` (the row's roles; state and guards aside)?"""
    row = TRANSITION_ROWS.get(trigger)
    return may_fire(user, row["roles"], obj) if row else Verdict(False)


def available(obj) -> list[dict]:
    """The transitions whose source is the object's current state (for buttons)."""
    return [t for t in dossier_flow.TRANSITIONS if obj.state in t["source"]]


def fire(
    obj, trigger: str, ctx: Context, *, object_type: str = "dossier", check_permission: bool = True
) -> None:
    row = TRANSITION_ROWS.get(trigger)
    if row is None:
        raise DomainError("Thao tác không tồn tại.")
    if check_permission:
        ctx.verdict = may_fire(ctx.actor, row["roles"], obj)
        if not ctx.verdict:
            raise DomainError(f"Anh/chị không có quyền «{row['title']}» đối với hồ sơ này.")
    source = obj.state
    if source not in row["source"]:
        raise DomainError(
            f"Không thể «{row['title']}» khi hồ sơ đang ở trạng thái "
            f"«{STATE_TITLES.get(source, source)}»."
        )
    for name in row["guards"]:
        GUARDS[name](obj, ctx)
    if not MACHINE.events[trigger].trigger(obj):
        raise DomainError(f"Không thể «{row['title']}» lúc này.")
    if obj.state in STATE_STAMPS:
        setattr(obj, STATE_STAMPS[obj.state], now())
    audit.record(
        actor=ctx.actor,
        action=trigger,
        object_type=object_type,
        object_id=obj.id,
        from_state=source,
        to_state=obj.state,
        comment=ctx.comment,
        verdict=ctx.verdict,
        data=ctx.extra or None,
    )
    try:
        db.session.flush()
    except StaleDataError as err:
        db.session.rollback()
        raise ConflictError(
            "Hồ sơ vừa được người khác thay đổi; thao tác của anh/chị chưa được thực hiện. "
            "Hãy tải lại trang để xem trạng thái mới nhất."
        ) from err


def diagram_source() -> str:
    """The same table drawn by transitions' GraphMachine (Graphviz DOT)."""
    from transitions.extensions import GraphMachine

    graph = GraphMachine(
        states=[{"name": s["name"]} for s in dossier_flow.STATES],
        transitions=[
            {"trigger": t["title"], "source": t["source"], "dest": t["dest"]}
            for t in dossier_flow.TRANSITIONS
        ],
        initial=dossier_flow.INITIAL,
        auto_transitions=False,
        show_conditions=False,
        title="",
        graph_engine="graphviz",
    )
    dot = graph.get_graph().source
    for name, title in STATE_TITLES.items():
        dot = dot.replace(f'label="{name}', f'label="{title}')
    return dot
