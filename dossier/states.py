"""States and triggers of every lifecycle as enums, generated from the tables in workflows/.

Nothing outside workflows/ writes a state name: code compares with these members (a
StrEnum equals its value, so the database column stays a plain string), templates ask the
models' predicates (`dossier.editable`), and the database CHECK constraints are built here
from the same members.
"""

from __future__ import annotations

from types import ModuleType

from sqlalchemy import CheckConstraint

from workflows import decision, delegation, dossier, dossier_simple, list_version, meeting

from .enums import TitledEnum


def _members(rows: list[dict], key: str) -> list[tuple[str, tuple[str, str]]]:
    seen: dict[str, str] = {}
    for row in rows:
        seen.setdefault(row[key], row["title"])
    return [(name.upper(), (name, title)) for name, title in seen.items()]


def state_enum(name: str, *tables: ModuleType) -> type[TitledEnum]:
    """The states of one or more tables of the same object (variants share their states)."""
    return TitledEnum(name, _members([s for t in tables for s in t.STATES], "name"))


def trigger_enum(name: str, *tables: ModuleType) -> type[TitledEnum]:
    enum = TitledEnum(name, _members([r for t in tables for r in t.TRANSITIONS], "trigger"))
    enum.object_type = tables[0].OBJECT  # whose triggers: "dossier", "meeting", …
    return enum


# Both dossier procedures share one state column: their states and triggers together.
DossierState = state_enum("DossierState", dossier, dossier_simple)
DossierTrigger = trigger_enum("DossierTrigger", dossier, dossier_simple)
MeetingState = state_enum("MeetingState", meeting)
MeetingTrigger = trigger_enum("MeetingTrigger", meeting)
DecisionState = state_enum("DecisionState", decision)
DecisionTrigger = trigger_enum("DecisionTrigger", decision)
ListVersionState = state_enum("ListVersionState", list_version)
ListVersionTrigger = trigger_enum("ListVersionTrigger", list_version)
DelegationState = state_enum("DelegationState", delegation)
DelegationTrigger = trigger_enum("DelegationTrigger", delegation)


def members(enum: type[TitledEnum], names) -> frozenset:
    """A named set of a table (EDITABLE, SENT, …) as enum members."""
    return frozenset(enum(n) for n in names)


DOSSIER_EDITABLE = members(DossierState, dossier.EDITABLE)
DOSSIER_SENT = members(DossierState, dossier.SENT)
DOSSIER_REVIEWABLE = members(DossierState, dossier.REVIEWABLE)
MEETING_ATTENDANCE = members(MeetingState, meeting.ATTENDANCE)
MEETING_VOTING = members(MeetingState, meeting.VOTING)
MEETING_COUNTED = members(MeetingState, meeting.COUNTED)
DECISION_EDITABLE = members(DecisionState, decision.EDITABLE)
DECISION_ISSUED = members(DecisionState, decision.ISSUED)

ENUMS = {
    "DossierState": DossierState,
    "MeetingState": MeetingState,
    "DecisionState": DecisionState,
    "ListVersionState": ListVersionState,
    "DelegationState": DelegationState,
}

# The trigger enums, which templates name a row by (`DecisionTrigger.MARK_CORRECTED`).
TRIGGERS = {
    "DossierTrigger": DossierTrigger,
    "MeetingTrigger": MeetingTrigger,
    "DecisionTrigger": DecisionTrigger,
    "ListVersionTrigger": ListVersionTrigger,
    "DelegationTrigger": DelegationTrigger,
}


def sql_in(*states, column: str = "state") -> str:
    """The SQL of a CHECK constraint: the column holds one of these states."""
    return f"{column} IN ({', '.join(repr(str(s)) for s in sorted(states))})"


def state_check(enum: type[TitledEnum], column: str = "state") -> CheckConstraint:
    """The column holds one of the enum's states (named "state": ck_<table>_state)."""
    return CheckConstraint(sql_in(*enum, column=column), name=column)
