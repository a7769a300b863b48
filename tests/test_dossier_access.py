"""Who may see and act on a dossier: a truth table of role × state × action."""

from __future__ import annotations

import pytest

from dossier.enums import Role
from dossier.extensions import db
from tests import builders as b
from tests import dossier_builders as db_
from tests.flow_builders import unit_with_head

# (viewer, state) -> expected status for GET /ho-so/<id>
VIEW = {
    ("own_head", "draft"): 200,
    ("own_clerk", "draft"): 200,
    ("other_head", "draft"): 403,
    ("office", "draft"): 403,
    ("director", "draft"): 403,
    ("council", "draft"): 403,
    ("admin", "draft"): 403,
    ("own_head", "submitted"): 200,
    ("other_head", "submitted"): 403,
    ("office", "submitted"): 200,
    ("director", "submitted"): 200,
    ("council", "submitted"): 403,
    ("admin", "submitted"): 403,
}


def _viewer(kind, unit):
    if kind == "own_head":
        return b.user(Role.UNIT_HEAD, unit_obj=unit)
    if kind == "own_clerk":
        return b.user(Role.UNIT_CLERK, unit_obj=unit)
    if kind == "other_head":
        return b.user(Role.UNIT_HEAD, unit_obj=b.unit())
    return b.user(
        {
            "office": Role.OFFICE,
            "director": Role.DIRECTOR,
            "council": Role.COUNCIL,
            "admin": Role.ADMIN,
        }[kind]
    )


@pytest.mark.parametrize(
    "viewer,state,status",
    [(v, s, st) for (v, s), st in VIEW.items()],
    ids=[f"{v}-{s}" for v, s in VIEW],
)
def test_view_matrix(app, as_user, viewer, state, status):
    unit, _ = unit_with_head()
    d = db_.dossier(unit, state=state)
    db.session.commit()
    client = as_user(_viewer(viewer, unit))
    assert client.get(f"/ho-so/{d.id}").status_code == status


EDIT_ROUTES = ["/ho-so/{id}/to-trinh", "/ho-so/{id}/bien-ban", "/ho-so/{id}/nguoi"]


@pytest.mark.parametrize("route", EDIT_ROUTES)
def test_other_unit_cannot_edit_by_id(app, as_user, route):
    unit, _ = unit_with_head()
    d = db_.dossier(unit)
    db.session.commit()
    client = as_user(b.user(Role.UNIT_HEAD, unit_obj=b.unit()))
    assert client.post(route.format(id=d.id), {"version": d.version}).status_code == 403


@pytest.mark.parametrize("route", EDIT_ROUTES)
def test_submitted_dossier_cannot_be_edited(app, as_user, route):
    unit, head = unit_with_head()
    d = db_.dossier(unit, state="submitted")
    db.session.commit()
    assert as_user(head).post(route.format(id=d.id), {"version": d.version}).status_code == 403


def test_unit_head_cannot_create_a_dossier_for_another_unit(app, as_user):
    unit, head = unit_with_head()
    other = b.unit()
    campaign = db_.campaign()
    db.session.commit()
    resp = as_user(head).post("/ho-so/tao", {"campaign_id": campaign.id, "unit_id": other.id})
    assert resp.status_code == 403


def test_office_cannot_submit_for_a_unit(app, as_user):
    unit, head = unit_with_head()
    d = db_.dossier(unit, state="submitted")
    db_.set_state(d, "returned")
    db.session.commit()
    resp = as_user(b.user(Role.OFFICE)).post(
        f"/ho-so/{d.id}/thao-tac/submit", {"version": d.version}, follow_redirects=True
    )
    assert "không có quyền «Nộp hồ sơ»" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert d.state == "returned"


def test_unknown_trigger_is_404(app, as_user):
    unit, head = unit_with_head()
    d = db_.dossier(unit)
    db.session.commit()
    assert (
        as_user(head).post(f"/ho-so/{d.id}/thao-tac/explode", {"version": d.version}).status_code
        == 404
    )


def test_double_posted_nominee_form_adds_one(app, as_user):
    unit, head = unit_with_head()
    d = db_.dossier(unit)
    db.session.commit()
    client = as_user(head)
    data = {
        "version": d.version,
        "kind": "individual",
        "staff_id": 0,
        "name": "Dương Thị Thủy",
        "award_form_id": db_.campaign
        and next(f.id for f in d.campaign.award_forms if f.code == "LDTT"),
    }
    client.post(f"/ho-so/{d.id}/nguoi", data)
    second = client.post(f"/ho-so/{d.id}/nguoi", data, follow_redirects=True)
    assert "người khác cập nhật" in second.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.get(type(d), d.id).nominees) == 1
