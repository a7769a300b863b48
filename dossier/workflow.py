"""The workflow engine: the only importer of `transitions`, one engine for every lifecycle.

Each table in workflows/ (the dossier, the council meeting, the decision, the list sent to
the council, the substitution period) gets one module-level Machine (a Machine per row costs
300–1,100 µs and hundreds of MB at 10,000 rows). `fire()` checks the actor's verdict against
the row's roles (or, for a row the system fires on someone's behalf, that it comes from the
act the row names), the source state and the guards; moves the state; stamps the time;
writes the audit event; and sends a blinker signal ("dossier.accept") that notifications
subscribe to. Concurrent acts are settled in SQL: the model's version column makes the
second writer's UPDATE match no row (StaleDataError → ConflictError).

A new step is a new row in its table (plus, if it needs one, a guard registered here with
@guard); the generic act view and the button partial read the same row.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType

from sqlalchemy.orm.exc import StaleDataError
from transitions import Machine

from workflows import VARIANTS
from workflows import decision as decision_table
from workflows import delegation as delegation_table
from workflows import dossier as dossier_table
from workflows import dossier_simple as dossier_simple_table
from workflows import list_version as list_version_table
from workflows import meeting as meeting_table

from . import audit
from .access import ROLES, Refused, Verdict, may_fire
from .errors import ConflictError, DomainError
from .extensions import db
from .signals import SIGNALS as SIGNALS
from .signals import announce as announce
from .signals import on as on
from .signals import signal
from .timeutil import now

TABLES: tuple[ModuleType, ...] = (
    dossier_table,
    dossier_simple_table,
    meeting_table,
    decision_table,
    list_version_table,
    delegation_table,
)


@dataclass(frozen=True)
class Flow:
    """One lifecycle: its table from workflows/, read once, and its shared Machine."""

    name: str
    object_type: str  # the audit trail's object type and the signals' prefix
    noun: str
    initial: str
    states: dict[str, dict]
    rows: dict[str, dict]
    editable: frozenset[str]
    terminal: frozenset[str]
    table: ModuleType
    machine: Machine

    @classmethod
    def build(cls, table: ModuleType) -> Flow:
        machine = Machine(
            model=None,
            states=[s["name"] for s in table.STATES],
            transitions=[
                {"trigger": t["trigger"], "source": t["source"], "dest": t["dest"]}
                for t in table.TRANSITIONS
            ],
            initial=table.INITIAL,
            auto_transitions=False,
            send_event=False,
        )
        return cls(
            name=table.NAME,
            object_type=table.OBJECT,
            noun=table.NOUN,
            initial=table.INITIAL,
            states={s["name"]: s for s in table.STATES},
            rows={t["trigger"]: t for t in table.TRANSITIONS},
            editable=frozenset(getattr(table, "EDITABLE", ())),
            terminal=frozenset(table.TERMINAL),
            table=table,
            machine=machine,
        )

    def title(self, state: str) -> str:
        return self.states[state]["title"] if state in self.states else state

    def badge(self, state: str) -> str:
        return self.states.get(state, {}).get("badge", "secondary")

    def row(self, trigger: str) -> dict | None:
        return self.rows.get(trigger)

    def sources(self, trigger: str) -> frozenset[str]:
        row = self.rows.get(trigger)
        return frozenset(row["source"]) if row else frozenset()

    def available(self, state: str) -> list[dict]:
        """The rows whose source is this state, in table order."""
        return [t for t in self.rows.values() if state in t["source"]]


FLOWS: dict[str, Flow] = {t.NAME: Flow.build(t) for t in TABLES}


def flow_of(obj) -> Flow:
    """The lifecycle an object runs on: its model's `workflow` names the table (a dossier's
    depends on its campaign's kind: workflows.VARIANTS)."""
    return FLOWS[obj.workflow]


def variant(kind: str) -> Flow:
    """The dossier procedure a campaign of this kind follows."""
    return FLOWS[VARIANTS.get(str(kind), dossier_table.NAME)]


def sources(object_type: str, trigger: str) -> frozenset[str]:
    """The states `trigger` leaves from, in every table of that object (all variants)."""
    return frozenset(
        state
        for flow in FLOWS.values()
        if flow.object_type == object_type
        for state in flow.sources(trigger)
    )


@dataclass
class Context:
    """What an act carries besides the object: who acts, a comment, a fix list, anything a
    guard reads, and (set by the engine) the verdict that allowed it."""

    actor: object
    comment: str | None = None
    items: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # what the audit event's data records
    # What access answered for the act: set by the engine for a row with roles; for a row
    # the system fires on someone's behalf, the verdict of the act that caused it.
    verdict: Verdict | None = None
    cause: str | None = None  # "meeting.close": the act a "fired_by" row comes from
    signs_for: str | None = None  # a deputy's "KT.": whom the audit names as signed for


Guard = Callable[[object, Context], None]  # raises DomainError with the reasons
GUARDS: dict[str, Guard] = {}
GUARD_TITLES: dict[str, str] = {}  # "có ghi lý do": what the workflow page shows


def guard(name: str, title: str):
    """Register a guard a row names; `title` says in Vietnamese what it requires."""

    def register(fn: Guard) -> Guard:
        GUARDS[name], GUARD_TITLES[name] = fn, title
        return fn

    return register


@guard("comment", "có ghi lý do")
def _comment(obj, ctx: Context) -> None:
    if not (ctx.comment or "").strip():
        raise DomainError("Cần ghi rõ lý do.")


# --- the engine ----------------------------------------------------------------------------


def _who(row: dict) -> str:
    return ", ".join(ROLES[r].title for r in row["roles"])


def cause_words(cause: str) -> str:
    """«Đóng biểu quyết» for "meeting.close": the act a system row comes from."""
    kind, _, trigger = cause.partition(".")
    for flow in FLOWS.values():
        if flow.object_type == kind and trigger in flow.rows:
            return f"«{flow.rows[trigger]['title']}»"
        if flow.object_type == kind and trigger == "create" and hasattr(flow.table, "CREATED"):
            return f"«{flow.table.CREATED}»"
    return "thao tác liên quan"


def cause(obj, trigger: str = "create") -> str:
    """ "meeting.close": how a row the system fires names the act that causes it."""
    return f"{flow_of(obj).object_type}.{trigger}"


def allowed(user, obj, trigger: str) -> Verdict:
    """May `user` fire `trigger` on `obj`, by the row's roles (the state and guards aside)?
    A row the system fires is nobody's button."""
    row = flow_of(obj).row(trigger)
    if row is None or row.get("fired_by"):
        return Verdict(False)
    return may_fire(user, row["roles"], obj)


def actions(user, obj) -> list[dict]:
    """The rows `user` may fire on `obj` from its state now: what the buttons offer."""
    return [
        row
        for row in flow_of(obj).available(obj.state)
        if not row.get("fired_by") and may_fire(user, row["roles"], obj)
    ]


def shown(obj, row: dict) -> bool:
    """Whether a row's button is drawn: its `hide_unless` guards hold (no side effects).
    Only guards the row itself names count (a variant may drop one: no cut-off)."""
    for name in row.get("hide_unless", ()):
        if name not in row["guards"]:
            continue
        try:
            GUARDS[name](obj, Context(actor=None))
        except DomainError:
            return False
    return True


class WrongState(DomainError):
    """The row does not leave from the object's state (said in Vietnamese)."""


def _check(obj, trigger: str, ctx: Context) -> tuple[Flow, dict]:
    flow = flow_of(obj)
    row = flow.row(trigger)
    if row is None:
        raise DomainError("Thao tác không tồn tại.")
    if row.get("fired_by"):
        # The system does this on behalf of the act that caused it; nobody fires it alone.
        if ctx.cause != row["fired_by"] or not ctx.verdict:
            raise Refused(
                f"«{row['title']}» do hệ thống thực hiện khi {cause_words(row['fired_by'])}; "
                "không thực hiện riêng được."
            )
    else:
        ctx.verdict = may_fire(ctx.actor, row["roles"], obj)
        if not ctx.verdict:
            raise Refused(
                f"Anh/chị không có quyền «{row['title']}» đối với {flow.noun} này "
                f"(việc của: {_who(row)})."
            )
    if obj.state not in row["source"]:
        raise WrongState(
            f"Không thể «{row['title']}» khi {flow.noun} đang ở trạng thái "
            f"«{flow.title(obj.state)}»."
        )
    for name in row["guards"]:
        GUARDS[name](obj, ctx)
    return flow, row


def check(obj, trigger: str, ctx: Context) -> Verdict:
    """Everything `fire` checks, without moving anything: refuse before costly work."""
    _check(obj, trigger, ctx)
    return ctx.verdict


@contextmanager
def transition(obj, trigger: str, ctx: Context) -> Iterator[Context]:
    """Check on entering; the body prepares what must change together with the state
    (nothing is flushed half-way); on leaving, move, stamp, audit, flush, and signal."""
    flow, row = _check(obj, trigger, ctx)
    yield ctx
    source = obj.state = str(obj.state)  # transitions reads an Enum by its name, not value
    if not flow.machine.events[trigger].trigger(obj):
        raise DomainError(f"Không thể «{row['title']}» lúc này.")
    stamp = flow.states[obj.state].get("stamp")
    if stamp:
        setattr(obj, stamp, now())
    for column in row.get("clear", ()):
        setattr(obj, column, None)
    audit.record(
        actor=ctx.actor,
        action=row.get("audit", trigger),
        object_type=flow.object_type,
        object_id=obj.id,
        from_state=source,
        to_state=obj.state,
        comment=ctx.comment,
        data=ctx.extra or None,
        verdict=ctx.verdict,
        on_behalf_of=ctx.signs_for,
    )
    try:
        db.session.flush()
    except StaleDataError as err:
        raise ConflictError(
            f"{flow.noun.capitalize()} vừa được người khác thay đổi; thao tác của anh/chị chưa "
            "được thực hiện. Hãy tải lại trang để xem trạng thái mới nhất."
        ) from err
    signal(f"{flow.object_type}.{trigger}").send(obj, ctx=ctx, source=source)


def fire(obj, trigger: str, ctx: Context) -> Context:
    """Check, move, stamp, audit, signal: one transition, in the caller's transaction."""
    with transition(obj, trigger, ctx):
        pass
    return ctx


# --- acts: what the generic act view calls ----------------------------------------------

Operation = Callable[..., object]
OPERATIONS: dict[tuple[str, str], tuple[Operation, dict[str, str]]] = {}


def operation(trigger, **rename: str):
    """Register the operation that performs a row (`trigger`: a member of a trigger enum)
    when its effects go beyond the transition (a snapshot, fix items, a number…). The
    generic act view passes `version`, `comment`, `items` (and `number` for a row with a
    "register" field), renamed as asked
    (`comment="reason"`) and only those the operation takes."""

    def register(fn: Operation) -> Operation:
        OPERATIONS[(trigger.object_type, str(trigger))] = (fn, rename)
        return fn

    return register


def perform(actor, obj, trigger: str, *, version=None, comment=None, items=None, number=None):
    """Do the act a button asks for: its registered operation, or else the transition
    alone (a new row needs no code). Returns what the operation returns. `number` is what a
    "register" row's form carries (a document number typed, or blank for the next)."""
    flow = flow_of(obj)
    given = {"version": version, "comment": comment or None, "items": items or []}
    if number is not None:
        given["number"] = number
    entry = OPERATIONS.get((flow.object_type, str(trigger)))
    if entry is None:
        if str(version) != str(getattr(obj, "version", version)):
            raise ConflictError(
                f"{flow.noun.capitalize()} vừa được người khác cập nhật; hãy tải lại trang."
            )
        return fire(obj, trigger, Context(actor=actor, comment=comment or None, items=items or []))
    fn, rename = entry
    accepted = inspect.signature(fn).parameters
    kwargs = {rename.get(k, k): v for k, v in given.items() if rename.get(k, k) in accepted}
    return fn(actor, obj, **kwargs)


def event_of(trigger) -> str:
    """The audit event a row writes (`trigger`: a member of a trigger enum), for code and
    templates that read the trail back: the row's "audit" name, or else its trigger."""
    for flow in FLOWS.values():
        row = flow.row(str(trigger))
        if flow.object_type == trigger.object_type and row is not None:
            return row.get("audit", str(trigger))
    raise KeyError(trigger)


def action_titles() -> dict[str, str]:
    """What the timeline calls each transition's audit event: its row's title."""
    titles = {}
    for flow in FLOWS.values():
        for trigger, row in flow.rows.items():
            title = row["title"]
            titles.setdefault(row.get("audit", trigger), title[:1].lower() + title[1:])
    return titles


def diagram_source(flow: Flow | None = None) -> str:
    """The same table drawn by transitions' GraphMachine (Graphviz DOT)."""
    from transitions.extensions import GraphMachine  # drawing only: pulls in graphviz

    flow = flow or FLOWS["dossier"]
    graph = GraphMachine(
        states=[{"name": name} for name in flow.states],
        transitions=[
            {"trigger": t["title"], "source": t["source"], "dest": t["dest"]}
            for t in flow.rows.values()
        ],
        initial=flow.initial,
        auto_transitions=False,
        show_conditions=False,
        title="",
        graph_engine="graphviz",
    )
    dot = graph.get_graph().source
    for name in flow.states:
        dot = dot.replace(f'label="{name}', f'label="{flow.title(name)}')
    return dot
