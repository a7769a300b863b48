"""The transition table itself, and the engine that fires it."""

from __future__ import annotations

import pytest

from dossier.enums import Role
from dossier.errors import DomainError
from dossier.workflow import FLOWS, GUARDS, Context, fire
from tests import builders as b
from workflows import dossier as flow

STATES = {s["name"] for s in flow.STATES}


def test_every_source_and_target_is_a_state():
    for t in flow.TRANSITIONS:
        assert t["dest"] in STATES, t
        assert set(t["source"]) <= STATES, t


def test_every_state_is_reachable_from_the_initial_state():
    reached, frontier = {flow.INITIAL}, [flow.INITIAL]
    while frontier:
        state = frontier.pop()
        for t in flow.TRANSITIONS:
            if state in t["source"] and t["dest"] not in reached:
                reached.add(t["dest"])
                frontier.append(t["dest"])
    assert reached == STATES


def test_terminal_states_have_no_exits():
    for t in flow.TRANSITIONS:
        assert not set(t["source"]) & set(flow.TERMINAL), t


def test_roles_and_guards_named_in_the_table_exist():
    import dossier.nominations.guards  # noqa: F401  (registers them)
    from dossier.access import ROLES

    for t in flow.TRANSITIONS:
        for role in t["roles"]:
            assert role in ROLES, role
        for guard in t["guards"]:
            assert guard in GUARDS, guard


def test_titles_are_the_domain_words():
    titles = {s["name"]: s["title"] for s in flow.STATES}
    assert titles == {
        "draft": "Nháp",
        "submitted": "Đã nộp",
        "returned": "Trả lại để bổ sung",
        "accepted": "Đã tiếp nhận",
        "council": "Trình Hội đồng",
        "decided": "Đã xét",
        "issued": "Đã ban hành",
        "withdrawn": "Đã rút",
    }


def test_one_machine_is_shared_and_keeps_no_models():
    assert FLOWS["dossier"].machine.models == []


class Thing:
    workflow = "dossier"

    def __init__(self, state, unit_id=None):
        self.state, self.id, self.unit_id = state, 1, unit_id


def test_engine_refuses_wrong_source_state_in_vietnamese(app):
    head = b.user(Role.UNIT_HEAD)
    thing = Thing("accepted", unit_id=head.roles[0].unit_id)
    with pytest.raises(
        DomainError, match="Không thể «Nộp hồ sơ» khi hồ sơ đang ở trạng thái «Đã tiếp nhận»"
    ):
        fire(thing, "submit", Context(actor=head))
    assert thing.state == "accepted"


def test_engine_refuses_unknown_trigger(app):
    with pytest.raises(DomainError):
        fire(Thing("draft"), "explode", Context(actor=None))
