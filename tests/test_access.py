"""The permission layer: no route escapes it, and who may do what is a truth table."""

from __future__ import annotations

import pytest

from dossier.access import Action, can
from dossier.enums import Role
from tests import builders as b

STATIC = {"static", "bootstrap.static"}


def _sample_url(rule) -> str:
    values = {}
    for arg in rule.arguments:
        items = getattr(rule._converters.get(arg), "items", None)  # an any(…) converter
        values[arg] = sorted(items)[0] if items else 1
    return rule.build(values, append_unknown=False)[1]


def test_every_route_is_declared_public_or_guarded(app):
    undeclared = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in STATIC:
            continue
        view = app.view_functions[rule.endpoint]
        if not hasattr(view, "_access"):
            undeclared.append(f"{rule.endpoint} {rule.rule}")
    assert not undeclared, "routes outside the permission layer: " + ", ".join(undeclared)


def test_anonymous_user_is_sent_to_login_on_every_guarded_route(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in STATIC:
            continue
        view = app.view_functions[rule.endpoint]
        if view._access == "public":
            continue
        url = _sample_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            resp = client.open(url, method=method)
            if rule.rule.startswith("/api/"):
                # The API reads no session: without a token, 401 and a JSON body, any method;
                # failures count as guesses from the address, so the limiter soon says 429.
                assert resp.status_code in (401, 429), (method, url, resp.status_code)
                assert resp.get_json()["code"] == resp.status_code
                if resp.status_code == 401:
                    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
                checked += 1
                continue
            # GET: redirect to sign-in. POST without a session: refused by CSRF first (400).
            assert resp.status_code in (302, 400), (method, url, resp.status_code)
            if resp.status_code == 302:
                assert "/dang-nhap" in resp.headers["Location"]
            checked += 1
    assert checked > 5


ROLE_MATRIX = {
    # endpoint path: {role: expected status for GET}
    "/": {
        Role.ADMIN: 200,
        Role.OFFICE: 200,
        Role.UNIT_HEAD: 200,
        Role.UNIT_CLERK: 200,
        Role.COUNCIL: 200,
        Role.DIRECTOR: 200,
        None: 200,
    },
    "/tai-khoan/mat-khau": {r: 200 for r in [*Role, None]},
    "/quan-tri/co-quan": {
        Role.ADMIN: 200,
        Role.OFFICE: 403,
        Role.UNIT_HEAD: 403,
        Role.UNIT_CLERK: 403,
        Role.COUNCIL: 403,
        Role.DIRECTOR: 403,
        None: 403,
    },
    "/quan-tri/don-vi": {
        Role.ADMIN: 200,
        Role.OFFICE: 403,
        Role.UNIT_HEAD: 403,
        Role.UNIT_CLERK: 403,
        Role.COUNCIL: 403,
        Role.DIRECTOR: 403,
        None: 403,
    },
    "/quan-tri/can-bo": {
        Role.ADMIN: 200,
        Role.OFFICE: 403,
        Role.UNIT_HEAD: 403,
        Role.UNIT_CLERK: 403,
        Role.COUNCIL: 403,
        Role.DIRECTOR: 403,
        None: 403,
    },
    "/quan-tri/tai-khoan": {
        Role.ADMIN: 200,
        Role.OFFICE: 403,
        Role.UNIT_HEAD: 403,
        Role.UNIT_CLERK: 403,
        Role.COUNCIL: 403,
        Role.DIRECTOR: 403,
        None: 403,
    },
    "/quan-tri/nhat-ky": {
        Role.ADMIN: 200,
        Role.OFFICE: 403,
        Role.UNIT_HEAD: 403,
        Role.UNIT_CLERK: 403,
        Role.COUNCIL: 403,
        Role.DIRECTOR: 403,
        None: 403,
    },
}
CASES = [(path, role, status) for path, row in ROLE_MATRIX.items() for role, status in row.items()]


@pytest.mark.parametrize(
    "path,role,status", CASES, ids=[f"{p}-{r or 'no-role'}" for p, r, _ in CASES]
)
def test_role_route_matrix(app, as_user, path, role, status):
    client = as_user(b.user(role))
    assert client.get(path).status_code == status


def test_role_held_for_another_year_grants_nothing(app, as_user):
    client = as_user(b.user(Role.ADMIN, year=1999))
    assert client.get("/quan-tri/co-quan").status_code == 403


def test_unit_scoped_rule_refuses_another_units_object(app):
    mine, other = b.unit(), b.unit()
    head = b.user(Role.UNIT_HEAD, unit_obj=mine)
    colleague, stranger = b.staff(mine), b.staff(other)
    assert can(head, Action.VIEW_STAFF, colleague)
    assert not can(head, Action.VIEW_STAFF, stranger)


def test_unknown_ids_give_404_not_500(app, as_user):
    client = as_user(b.user(Role.ADMIN))
    for path in (
        "/quan-tri/don-vi/999999",
        "/quan-tri/can-bo/999999",
        "/quan-tri/tai-khoan/999999",
    ):
        resp = client.get(path)
        assert resp.status_code == 404
        assert "Không tìm thấy" in resp.get_data(as_text=True)


def test_inactive_user_can_do_nothing(app):
    user = b.user(Role.ADMIN)
    user.active = False
    assert not can(user, Action.ADMIN)
