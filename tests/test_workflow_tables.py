"""Every table in workflows/ is sound: targets are states, every state is reachable, terminal
states have no exits, every role and guard a row names exists, every system row names an
act that exists, and the named sets of states hold states."""

from __future__ import annotations

import pytest

import workflows
from dossier.access import ROLES
from dossier.workflow import FLOWS, GUARDS, TABLES

FLOW_NAMES = sorted(FLOWS)


@pytest.fixture(scope="module")
def guards():
    """Every guard module is imported by the app (the operations register them)."""
    from dossier import create_app

    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
    return GUARDS


def test_every_table_is_a_flow_with_a_unique_name():
    assert [t.NAME for t in TABLES] == list(FLOWS) and len(set(FLOWS)) == len(TABLES)
    assert set(FLOWS) >= {"dossier", "dossier_simple", "meeting", "decision", "list_version"}


@pytest.mark.parametrize("name", FLOW_NAMES)
def test_every_source_and_target_is_a_state(name):
    flow = FLOWS[name]
    assert flow.initial in flow.states
    for row in flow.rows.values():
        assert row["dest"] in flow.states, row
        assert set(row["source"]) <= set(flow.states), row


@pytest.mark.parametrize("name", FLOW_NAMES)
def test_every_state_is_reachable_from_the_initial_state(name):
    flow = FLOWS[name]
    reached, frontier = {flow.initial}, [flow.initial]
    while frontier:
        state = frontier.pop()
        for row in flow.available(state):
            if row["dest"] not in reached:
                reached.add(row["dest"])
                frontier.append(row["dest"])
    assert reached == set(flow.states)


@pytest.mark.parametrize("name", FLOW_NAMES)
def test_terminal_states_have_no_exits(name):
    flow = FLOWS[name]
    assert flow.terminal <= set(flow.states)
    for state in flow.terminal:
        assert flow.available(state) == [], state
    # …and a state with no exit is declared terminal: nothing is stuck by mistake.
    assert {s for s in flow.states if not flow.available(s)} <= flow.terminal


@pytest.mark.parametrize("name", FLOW_NAMES)
def test_roles_and_guards_named_in_the_table_exist(name, guards):
    for row in FLOWS[name].rows.values():
        for role in row["roles"]:
            assert role in ROLES, (name, row["trigger"], role)
        for guard in row["guards"]:
            assert guard in guards, (name, row["trigger"], guard)


def _acts() -> set[str]:
    acts = set()
    for flow in FLOWS.values():
        acts |= {f"{flow.object_type}.{t}" for t in flow.rows}
        if hasattr(flow.table, "CREATED"):
            acts.add(f"{flow.object_type}.create")
    return acts


@pytest.mark.parametrize("name", FLOW_NAMES)
def test_a_system_row_names_no_roles_and_an_act_that_exists(name):
    for row in FLOWS[name].rows.values():
        if row.get("fired_by"):
            assert row["roles"] == [], row
            assert row["fired_by"] in _acts(), row
        else:
            assert row["roles"], row  # a human row says who may fire it


@pytest.mark.parametrize("name", FLOW_NAMES)
def test_named_sets_hold_states_and_stamps_name_columns(name):
    flow = FLOWS[name]
    for attr in ("EDITABLE", "SENT", "REVIEWABLE", "ISSUED", "ATTENDANCE", "VOTING", "COUNTED"):
        assert set(getattr(flow.table, attr, ())) <= set(flow.states), attr
    for state in flow.states.values():
        assert state["title"] and state.get("badge"), state


def test_the_variants_are_dossier_tables_of_one_object():
    for kind, name in workflows.VARIANTS.items():
        assert FLOWS[name].object_type == FLOWS["dossier"].object_type, kind
        for setting in ("CUTOFF", "COUNCIL", "DOSSIER"):
            assert hasattr(FLOWS[name].table, setting), (name, setting)
    from dossier.enums import CampaignKind

    assert set(workflows.VARIANTS) <= {k.value for k in CampaignKind}
