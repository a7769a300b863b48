"""The API: tokens (issued, shown once, hashed, expired, revoked, scoped), scoping as the
pages, the same operations and audit events as the pages, the reference page under CSP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from dossier.access import Action, can
from dossier.api import operations as api_ops
from dossier.api.models import ApiToken
from dossier.audit import AuditEvent
from dossier.decisions.models import Decision
from dossier.enums import Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.nominations.models import Dossier
from dossier.org.models import Staff, Unit
from dossier.states import DossierState
from dossier.timeutil import now
from tests import builders as b
from tests.api_builders import ROLE_LOGINS, bearer, token, user


@pytest.fixture
def demo(demo_loaded):
    app = demo_loaded
    app.config["RATELIMIT_API"] = "100000/minute"


def test_token_is_stored_hashed_and_works_once_shown(app, client):
    owner = b.user(Role.OFFICE)
    secret = token(owner, write=False)
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == owner.id))
    assert secret.startswith("tdkt_") and len(secret) > 40
    assert row.token_hash == api_ops.digest(secret) and secret not in (row.prefix, row.token_hash)
    resp = client.get("/api/v1/me", headers=bearer(secret))
    assert resp.status_code == 200
    assert resp.get_json()["token"]["scopes"] == ["read"]
    assert resp.get_json()["username"] == owner.username


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer tdkt_nothere", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 500],
)
def test_missing_or_wrong_token_is_401(app, client, header):
    resp = client.get("/api/v1/campaigns", headers={"Authorization": header} if header else {})
    assert resp.status_code == 401
    assert resp.get_json()["code"] == 401
    assert "mã truy cập" in resp.get_json()["message"]


def test_expired_token_is_refused(app, client):
    owner = b.user(Role.OFFICE)
    secret = token(owner, days=1)
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == owner.id))
    row.created_at = now() - timedelta(days=3)
    row.expires_at = now() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_revoked_token_is_refused_and_revocation_is_audited(app, client):
    owner = b.user(Role.OFFICE)
    secret = token(owner)
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == owner.id))
    api_ops.revoke(owner, row)
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "api_token")
    ).all()
    assert actions == ["api_token.issue", "api_token.revoke"]
    with pytest.raises(DomainError):
        api_ops.revoke(owner, row)


def test_disabled_account_token_is_refused(app, client):
    owner = b.user(Role.OFFICE)
    secret = token(owner)
    owner.active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_only_owner_or_admin_manage_tokens(app):
    owner, stranger, admin = b.user(Role.OFFICE), b.user(Role.OFFICE), b.user(Role.ADMIN)
    with pytest.raises(DomainError):
        api_ops.issue(stranger, owner, name="x", scopes=["read"], days=5)
    t, _ = api_ops.issue(admin, owner, name="Hệ thống nhân sự", scopes=["read"], days=5)
    with pytest.raises(DomainError):
        api_ops.revoke(stranger, t)
    api_ops.revoke(admin, t)


@pytest.mark.parametrize("days", [0, -1, 367])
def test_expiry_out_of_range_is_refused(app, days):
    owner = b.user(Role.OFFICE)
    with pytest.raises(DomainError):
        api_ops.issue(owner, owner, name="x", scopes=["read"], days=days)


def test_read_token_cannot_write(app, client, demo):
    secret = token(user("vanphong"), write=False)
    d = db.session.scalars(select(Dossier).where(Dossier.state == DossierState.SUBMITTED)).first()
    resp = client.post(
        f"/api/v1/dossiers/{d.id}/acts/accept", json={"version": d.version}, headers=bearer(secret)
    )
    assert resp.status_code == 403
    assert "phạm vi" in resp.get_json()["message"]
    assert db.session.get(Dossier, d.id).state == DossierState.SUBMITTED


def test_write_act_goes_through_the_engine_and_the_audit_trail(app, client, demo):
    office = user("vanphong")
    secret = token(office)
    d = db.session.scalars(select(Dossier).where(Dossier.state == DossierState.SUBMITTED)).first()
    before = db.session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
    resp = client.post(
        f"/api/v1/dossiers/{d.id}/acts/accept", json={"version": d.version}, headers=bearer(secret)
    )
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["state"] == DossierState.ACCEPTED
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.seq > before, AuditEvent.object_id == d.id)
    )
    assert event.actor_id == office.id and event.to_state == DossierState.ACCEPTED
    # The same act again is refused by the engine (wrong state): 422, nothing changes.
    again = client.post(f"/api/v1/dossiers/{d.id}/acts/accept", json={}, headers=bearer(secret))
    assert again.status_code == 422
    # A unit head may not accept: the row's roles refuse, as on the page.
    head = token(user("truongphong.qlkh"))
    other = db.session.scalars(
        select(Dossier).where(Dossier.state == DossierState.SUBMITTED)
    ).first()
    if other is not None:
        refused = client.post(
            f"/api/v1/dossiers/{other.id}/acts/accept", json={}, headers=bearer(head)
        )
        assert refused.status_code in (403, 422)


@pytest.mark.parametrize("role", sorted(ROLE_LOGINS))
def test_lists_hold_exactly_what_the_pages_allow(app, client, demo, role):
    reader = user(ROLE_LOGINS[role])
    secret = token(reader, write=False)
    got = client.get("/api/v1/dossiers?per_page=200", headers=bearer(secret)).get_json()
    expected = {
        d.id for d in db.session.scalars(select(Dossier)) if can(reader, Action.VIEW_DOSSIER, d)
    }
    assert {i["id"] for i in got["items"]} == expected
    assert got["total"] == len(expected)
    decisions = client.get("/api/v1/decisions?per_page=200", headers=bearer(secret)).get_json()
    issued = {
        d.id
        for d in db.session.scalars(select(Decision))
        if d.issued and can(reader, Action.VIEW_DECISION, d)
    }
    assert {i["id"] for i in decisions["items"]} == issued


def test_person_history_and_decision_pdf(app, client, demo):
    secret = token(user("vanphong"), write=False)
    decision = db.session.scalars(select(Decision).where(Decision.number.is_not(None))).first()
    if decision is not None:
        body = client.get(f"/api/v1/decisions/{decision.id}", headers=bearer(secret)).get_json()
        assert body["symbol"].startswith(f"{decision.number:02d}/QĐ-")
        pdf = client.get(body["pdf_url"], headers=bearer(secret))
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    person = db.session.scalars(select(Staff)).first()
    resp = client.get(f"/api/v1/people/{person.id}/awards", headers=bearer(secret))
    assert resp.status_code == 200
    assert resp.get_json()["person"]["full_name"] == person.full_name


def test_unit_head_statistics_are_their_units_only(app, client, demo):
    head = user("truongphong.qlkh")
    secret = token(head, write=False)
    mine = next(iter(head.unit_ids(Role.UNIT_HEAD)))
    other = db.session.scalar(select(Unit.id).where(Unit.id != mine))
    resp = client.get(f"/api/v1/statistics/awards?unit_id={other}", headers=bearer(secret))
    assert resp.status_code == 403
    rows = client.get("/api/v1/statistics/awards?dimension=unit", headers=bearer(secret))
    assert {r["key"] for r in rows.get_json()["rows"]} <= {str(mine)}


def test_api_ignores_the_session_cookie(app, as_user):
    client = as_user(b.user(Role.OFFICE))
    assert client.get("/api/v1/me").status_code == 401


def test_reference_page_runs_under_the_csp(app, client):
    page = client.get("/api/v1/tai-lieu")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<script>" not in html and "cdn" not in html.lower()
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_token_page_shows_the_secret_once(app, as_user):
    owner = b.user(Role.UNIT_HEAD)
    client = as_user(owner)
    resp = client.post(
        "/tai-khoan/ma-truy-cap",
        data={"name": "Hệ thống nhân sự", "days": "30"},
        page="/tai-khoan/ma-truy-cap",
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == owner.id))
    secret = html.split('data-testid="token-secret">')[1].split("<")[0]
    assert api_ops.digest(secret) == row.token_hash
    assert secret not in client.get("/tai-khoan/ma-truy-cap").get_data(as_text=True)
