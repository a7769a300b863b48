"""Who may do what, from which state: a truth table generated from workflows/.

For every lifecycle, every actor × every state × every trigger, the engine's check must
give exactly what the row says: refused (not the row's roles), wrong state (not a source
of the row), or allowed (then only the row's guards may still say no). The actors include
a substitute standing in, through a Delegation, for the Văn phòng and for a unit head (the
verdict then names that delegation) and the head of another unit.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier import timeutil
from dossier.access import ROLES, Refused, can
from dossier.campaigns.models import Campaign
from dossier.council.models import Meeting
from dossier.decisions.models import Decision
from dossier.enums import CampaignKind, CouncilPosition, Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.intake.models import ListVersion
from dossier.nominations.models import Dossier
from dossier.org import delegation as delegation_ops
from dossier.org.models import Delegation, RoleAssignment
from dossier.states import DecisionTrigger
from dossier.workflow import FLOWS, Context, WrongState, allowed, check
from tests import builders as b

YEAR = timeutil.local_now().year

# The role names of access.ROLES each actor holds towards the world's objects (the unit
# is unit A, the year is this year's). The substitutes hold theirs through a Delegation.
HOLDS = {
    "unit_head": {"unit_head"},
    "unit_clerk": {"unit_clerk"},
    "office": {"office"},
    "director": {"director"},
    "admin": {"admin"},
    "clerk": {"clerk"},  # the Văn thư: numbers and issues a signed decision
    "council_member": {"council_member"},
    "council_chair": {"council_member", "council_chair"},
    "council_secretary": {"council_member", "council_secretary"},
    "other_unit_head": set(),  # the head of unit B: nothing on unit A's dossiers
    "office_substitute": {"office"},  # stands in for "office" today
    "head_substitute": {"unit_head"},  # stands in for "unit_head" today
    "nobody": set(),
}
SUBSTITUTES = {"office_substitute": "office", "head_substitute": "unit_head"}


@pytest.fixture
def world(app):
    unit_a, unit_b = b.unit("Phòng A", "PA"), b.unit("Phòng B", "PB")
    users = {
        "unit_head": b.user(Role.UNIT_HEAD, unit_obj=unit_a),
        "unit_clerk": b.user(Role.UNIT_CLERK, unit_obj=unit_a),
        "office": b.user(Role.OFFICE),
        "director": b.user(Role.DIRECTOR),
        "admin": b.user(Role.ADMIN),
        "clerk": b.user(Role.CLERK),
        "council_member": b.user(Role.COUNCIL, year=YEAR),
        "council_chair": b.user(Role.COUNCIL, position=CouncilPosition.CHAIR, year=YEAR),
        "council_secretary": b.user(Role.COUNCIL, position=CouncilPosition.SECRETARY, year=YEAR),
        "other_unit_head": b.user(Role.UNIT_HEAD, unit_obj=unit_b),
        "office_substitute": b.user(None),
        "head_substitute": b.user(None, person=b.staff(unit_a, "Phó Phòng A")),
        "nobody": b.user(None),
    }
    admin = users["admin"]
    today = timeutil.local_now().date()
    delegations = {}
    for substitute, absent in SUBSTITUTES.items():
        delegations[substitute] = delegation_ops.create(
            admin,
            delegator=users[absent],
            substitute=users[substitute],
            starts_on=today,
            ends_on=today + timedelta(days=3),
            reason="Nghỉ phép",
        )
    db.session.commit()
    yearly = Campaign(name="Năm", year=YEAR, kind=CampaignKind.YEARLY, cutoff_at=timeutil.now())
    simple = Campaign(name="Đột xuất", year=YEAR, kind=CampaignKind.ONE_OFF, cutoff_at=None)
    db.session.add_all([yearly, simple])
    db.session.flush()
    # Transient objects (never flushed): the check reads their state, unit and year only.
    objects = {
        "dossier": Dossier(id=1, unit_id=unit_a.id, campaign=yearly, nominees=[]),
        "dossier_simple": Dossier(id=2, unit_id=unit_a.id, campaign=simple, nominees=[]),
        "meeting": Meeting(id=1, year=YEAR, attendance=[], quorum_num=2, quorum_den=3),
        "decision": Decision(id=1, awards=[]),
        "list_version": ListVersion(id=1),
        "delegation": Delegation(  # given by "office"
            id=1, delegator_id=users["office"].id, starts_on=today, ends_on=today
        ),
    }
    assert not any(obj in db.session for obj in objects.values())
    return users, objects, delegations


def _holds(actor: str, flow_name: str) -> set[str]:
    held = set(HOLDS[actor])
    if flow_name == "delegation" and actor == "office":
        held.add("delegator")  # the world's delegation was given by "office"
    return held


def _outcome(user, obj, trigger: str) -> tuple[str, object]:
    ctx = Context(actor=user, comment="Lý do", items=[{"reason": "x", "component": "other"}])
    try:
        verdict = check(obj, trigger, ctx)
    except Refused:
        return "refused", None
    except WrongState:
        return "wrong_state", None
    except DomainError:
        return "allowed", ctx.verdict  # a guard said no: permission and state were fine
    return "allowed", verdict


def _expected(flow_name: str, state: str, row: dict, actor: str) -> str:
    if row.get("fired_by") or not _holds(actor, flow_name) & set(row["roles"]):
        return "refused"
    return "allowed" if state in row["source"] else "wrong_state"


def test_every_role_a_row_names_is_held_by_some_actor():
    """A role a table names that no actor holds would be tested only as refused: a new
    role in workflows/ needs its actor here."""
    named = {role for flow in FLOWS.values() for row in flow.rows.values() for role in row["roles"]}
    held = {role for actor in HOLDS for flow_name in FLOWS for role in _holds(actor, flow_name)}
    assert named <= held, f"no actor holds {sorted(named - held)}"
    assert named <= set(ROLES)  # and each is a role access.ROLES resolves


def test_every_lifecycle_has_an_object_in_the_world(world):
    _users, objects, _ = world
    assert set(objects) == set(FLOWS)


def test_every_actor_state_and_trigger_of_every_lifecycle(world):
    users, objects, delegations = world
    checked, wrong = 0, []
    for flow_name, obj in objects.items():
        flow = FLOWS[flow_name]
        for state in flow.states:
            obj.state = state
            for trigger, row in flow.rows.items():
                for actor, user in users.items():
                    got, verdict = _outcome(user, obj, trigger)
                    expected = _expected(flow_name, state, row, actor)
                    checked += 1
                    if got != expected:
                        wrong.append(f"{flow_name}/{state}/{trigger}/{actor}: {got} ≠ {expected}")
                    elif got == "allowed" and actor in SUBSTITUTES:
                        # …and the verdict says on whose behalf, for the audit trail.
                        if verdict.on_behalf_of is not delegations[actor]:
                            wrong.append(f"{flow_name}/{trigger}/{actor}: no on_behalf_of")
                    elif got == "allowed" and verdict.on_behalf_of is not None:
                        wrong.append(f"{flow_name}/{trigger}/{actor}: own act as a substitute")
    assert not wrong, f"{len(wrong)} of {checked}:\n" + "\n".join(wrong[:40])
    assert checked > 1500


def test_a_system_row_moves_only_when_its_act_fires_it(world):
    users, objects, _ = world
    dossier = objects["dossier"]
    dossier.state = "council"
    chair = users["council_chair"]
    with pytest.raises(Refused, match="do hệ thống thực hiện khi «Đóng biểu quyết»"):
        check(dossier, "record_decision", Context(actor=chair))
    verdict = can(chair, "view_meeting")
    with pytest.raises(Refused):  # the right act, but no verdict of it: refused
        check(dossier, "record_decision", Context(actor=chair, cause="meeting.close"))
    with pytest.raises(Refused):  # a verdict, but of another act
        check(dossier, "record_decision", Context(chair, verdict=verdict, cause="meeting.open"))
    dossier.nominees = []  # no nominee left open: the guard passes
    assert check(
        dossier, "record_decision", Context(actor=chair, verdict=verdict, cause="meeting.close")
    )


def test_an_ended_or_cancelled_substitution_gives_nothing(world):
    users, objects, delegations = world
    dossier = objects["dossier"]
    dossier.state = "submitted"
    substitute = users["office_substitute"]
    assert _outcome(substitute, dossier, "accept")[0] == "allowed"
    timeutil.freeze(timeutil.now() + timedelta(days=10))
    assert _outcome(substitute, dossier, "accept")[0] == "refused"
    timeutil.freeze(None)
    delegation_ops.cancel(users["office"], delegations["office_substitute"])
    db.session.commit()
    db.session.expire(substitute, ["delegations_received"])
    assert _outcome(substitute, dossier, "accept")[0] == "refused"


ROLE_CHOICES = [Role.OFFICE, Role.DIRECTOR, Role.ADMIN, Role.UNIT_HEAD, Role.UNIT_CLERK]


def test_on_whose_behalf_follows_which_roles_allow_it(app):
    """Property: whatever roles the user and the person they stand in for hold, a check
    that the user's own roles pass is their own; one that passes only through the
    delegation names it; one neither passes is refused."""
    unit = b.unit()
    absent, substitute = b.user(Role.OFFICE), b.user(None)
    delegation = delegation_ops.create(
        b.user(Role.ADMIN),
        delegator=absent,
        substitute=substitute,
        starts_on=timeutil.local_now().date(),
        ends_on=timeutil.local_now().date(),
        reason="Nghỉ phép",
    )
    db.session.commit()
    roles = st.sets(st.sampled_from(ROLE_CHOICES), max_size=3)

    @settings(max_examples=60, deadline=None)
    @given(own=roles, theirs=roles, action=st.sampled_from(["review_dossier", "sign"]))
    def verdicts(own, theirs, action):
        for who, wanted in ((substitute, own), (absent, theirs | {Role.OFFICE})):
            who.roles = [
                RoleAssignment(role=r, unit_id=unit.id if r.unit_scoped else None) for r in wanted
            ]
        db.session.flush()
        db.session.expire(substitute, ["delegations_received"])
        needed = Role.OFFICE if action == "review_dossier" else Role.DIRECTOR
        delegable = needed in (theirs | {Role.OFFICE})  # both roles are delegable
        if action == "sign":  # a workflow row: the decision's sign row names "director"
            verdict = allowed(substitute, Decision(id=1, awards=[]), DecisionTrigger.SIGN)
        else:
            verdict = can(substitute, action)
        if needed in own:
            assert verdict and verdict.on_behalf_of is None
        elif delegable:
            assert verdict and verdict.on_behalf_of.id == delegation.id
        else:
            assert not verdict

    verdicts()
    db.session.rollback()
