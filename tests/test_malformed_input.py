"""Malformed numbers, pages and redirect targets: 400/404 in Vietnamese, never a 500.

The route sweeps walk app.url_map (as tests/test_access.py does), so a new route is covered
the day it is added.
"""

from __future__ import annotations

import inspect
import urllib.parse

import pytest

from dossier.enums import Role
from dossier.extensions import db
from dossier.params import DB_INT_MAX, MAX_PAGE, BoundedIntConverter, parse_int, safe_next
from tests import builders as b
from tests.api_builders import bearer
from tests.api_builders import token as api_token
from tests.conftest import csrf_from
from tests.test_access import STATIC

# One backend is enough: refused by the URL converters and parameter parsing.
pytestmark = pytest.mark.one_backend("neutral")

# Just past INTEGER (PostgreSQL's id columns), 25 digits, just past BIGINT, far past, more
# digits than Python parses, and negative.
OUT_OF_RANGE = [str(2**31), str(10**24), str(2**63), str(2**64), "9" * 5000, "-1"]
NEGATIVE = -1
VIETNAMESE_404 = "Không tìm thấy"


def _url(rule, value) -> str:
    """The rule's URL with `value` for every int argument (the first item of any any())."""
    parts = {}
    for arg in rule.arguments:
        converter = rule._converters.get(arg)
        items = getattr(converter, "items", None)
        if items:
            parts[arg] = sorted(items)[0]
        elif isinstance(converter, BoundedIntConverter):
            parts[arg] = value
        else:
            parts[arg] = "x"
    return rule.build(parts, append_unknown=False)[1]


def _int_rules(app):
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint not in STATIC
        and any(isinstance(c, BoundedIntConverter) for c in r._converters.values())
    ]
    assert len(rules) > 40, "the sweep lost its routes"
    return rules


def _raw_url(rule, raw: str) -> str:
    # Such values never build through the converter (5,000 digits, a sign): put them in by hand.
    return _url(rule, 7_654_321).replace("7654321", raw)


def _office_and_admin():
    user = b.user(Role.OFFICE)
    from dossier.org.models import RoleAssignment

    user.roles.append(RoleAssignment(role=Role.ADMIN))
    user.roles.append(RoleAssignment(role=Role.DIRECTOR))
    db.session.commit()
    return user


# --- the int converter ---------------------------------------------------------------------


def test_every_int_route_uses_the_bounded_converter(app):
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            if type(converter).__name__ == "IntegerConverter":
                pytest.fail(f"{rule.rule}: <{name}> uses werkzeug's unbounded int converter")


@pytest.mark.parametrize("who", ["anonymous", "office"])
def test_out_of_range_ids_are_404_on_every_route(app, as_user, client, who):
    """2**31, 25 digits, 2**63, 2**64, 5,000 digits and -1 on every <int:> route and method: a
    404 page in Vietnamese from the URL map, before any view or permission check."""
    browser = as_user(_office_and_admin()) if who == "office" else None
    token = browser.token() if browser else None
    http = browser.client if browser else client
    checked = 0
    for rule in _int_rules(app):
        urls = [_raw_url(rule, raw) for raw in OUT_OF_RANGE]
        for url in urls:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                data = {"csrf_token": token} if token and method == "POST" else None
                resp = http.open(url, method=method, data=data)
                assert resp.status_code == 404, (who, method, url[:80], resp.status_code)
                assert VIETNAMESE_404 in resp.get_data(as_text=True)
                checked += 1
    assert checked > 200


def test_largest_storable_id_is_never_a_500(app, as_user):
    """2**31 - 1 (the largest id PostgreSQL's INTEGER holds) passes the converter: the view
    looks it up and finds nothing (404), or the permission layer refuses first (403); never a
    500, on SQLite or PostgreSQL."""
    user = _office_and_admin()
    browser = as_user(user)
    token = browser.token()
    api = bearer(api_token(user))  # the API reads no session: it gets a token of the same user
    for rule in _int_rules(app):
        url = _url(rule, DB_INT_MAX)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token} if method == "POST" else None
            if rule.rule.startswith("/api/"):
                resp = browser.client.open(url, method=method, json={}, headers=api)
            else:
                resp = browser.client.open(url, method=method, data=data)
            assert resp.status_code in (302, 400, 403, 404), (method, url, resp.status_code)


def test_parse_int_accepts_plain_digits_in_range_only():
    assert parse_int("42") == 42
    assert parse_int(" 7 ") == 7
    assert parse_int(str(DB_INT_MAX)) == DB_INT_MAX
    for raw in ("", "abc", "-1", "1e3", "٣", "１", str(2**31), "9" * 5000, "0x10", None):
        assert parse_int(raw) is None, raw
    assert parse_int("-5", lo=-10) == -5


# --- ?page= and other numbers in the query string ---------------------------------------------

GARBAGE = ["9" * 25, str(2**63), "-1", "0", "abc", "1e3", "", "%EF%BC%91", "9" * 5000, "2.5"]
LIST_ROUTES = {
    "home.index": "/",
    "nominations.index": "/ho-so/",
    "history.index": "/lich-su/",
    "decisions.index": "/quyet-dinh/",
    "admin.staff_list": "/quan-tri/can-bo",
    "admin.audit_log": "/quan-tri/nhat-ky",
}


def test_list_routes_are_every_view_that_pages(app):
    """Every endpoint whose view reads a page number is in the sweep below (or builds one)."""
    paging = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if any(
            reader in inspect.getsource(inspect.unwrap(view))
            for reader in ("page_arg(", "page_within(")
        )
    }
    with_ids = {"decisions.show", "intake.index", "intake.consolidated"}
    assert paging == set(LIST_ROUTES) | with_ids


def _list_urls(app):
    from tests import decision_builders as dec
    from tests import dossier_builders as db_

    campaign, _, _ = dec.approved(n=2)
    office, _, _ = dec.people()
    from dossier.decisions import operations as dec_ops

    decision = dec_ops.draft(office, campaign)
    db.session.commit()
    unit = b.unit()
    db_.dossier(unit, campaign, state="submitted")
    db.session.commit()
    return {
        **LIST_ROUTES,
        "decisions.show": f"/quyet-dinh/{decision.id}",
        "intake.index": f"/tiep-nhan/{campaign.id}",
        "intake.consolidated": f"/tiep-nhan/{campaign.id}/danh-sach",
        "history.unit": f"/lich-su/don-vi/{unit.id}",
        "nominations.changes": "/ho-so/1/thay-doi",
    }


def test_page_garbage_shows_page_one_on_every_list(app, as_user):
    """Not digits, negative, zero, beyond 64 bits, 5,000 digits: the list's first page (200),
    the same number of rows as ?page=1; the other numeric filters are ignored alike."""
    urls = _list_urls(app)
    browser = as_user(_office_and_admin())
    for endpoint, url in urls.items():
        first = browser.get(url + "?page=1&trang=1")
        for junk in GARBAGE:
            query = "&".join(
                f"{k}={junk}" for k in ("page", "trang", "nam", "don_vi", "unit", "tu", "den")
            )
            resp = browser.get(f"{url}?{query}")
            assert resp.status_code == first.status_code, (endpoint, junk[:30], resp.status_code)
            assert resp.status_code in (200, 302), (endpoint, resp.status_code)
    assert MAX_PAGE >= 10_000


def test_control_characters_in_the_query_string_are_400(app, as_user, client):
    browser = as_user(_office_and_admin())
    for url in ("/lich-su/?q=a%00b", "/ho-so/?x=%07", "/tiep-nhan/1?q=%1b[31m", "/?trang=1%00"):
        resp = browser.get(url)
        assert resp.status_code == 400, url
        assert "ký tự điều khiển" in resp.get_data(as_text=True)
    assert client.get("/dang-nhap?q=%00").status_code == 400


# --- next= after a real sign-in ------------------------------------------------------------

BAD_NEXT = [
    "/ho-so/\r\nSet-Cookie: x=1",
    "/\r\n/evil",
    "%0d%0aLocation:%20http://evil.example",
    "//evil.example/x",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "https://evil.example/",
    "http:/evil.example",
    "/\t/evil.example",
    "\t//evil.example",
    " //evil.example",
    "evil.example",
    "/\x00",
    "",
]


@pytest.mark.parametrize("target", BAD_NEXT, ids=range(len(BAD_NEXT)))
def test_bad_next_after_sign_in_lands_on_a_local_page(app, client, target):
    user = b.user(Role.OFFICE)
    page = client.get("/dang-nhap").get_data(as_text=True)
    resp = client.post(
        "/dang-nhap?next=" + urllib.parse.quote(target, safe=""),
        data={"csrf_token": csrf_from(page), "username": user.username, "password": "secret123"},
    )
    assert resp.status_code == 302, resp.status_code
    location = resp.headers["Location"]
    parts = urllib.parse.urlsplit(location)
    assert parts.scheme in ("", "http") and parts.netloc in ("", "localhost"), location
    assert location.endswith("/") and "evil" not in location, location
    assert not any(c in location for c in "\r\n\\"), location
    assert client.get("/").status_code == 200  # signed in indeed


def test_good_next_is_kept(app, client):
    user = b.user(Role.OFFICE)
    page = client.get("/dang-nhap").get_data(as_text=True)
    resp = client.post(
        "/dang-nhap?next=" + urllib.parse.quote("/ho-so/?page=2"),
        data={"csrf_token": csrf_from(page), "username": user.username, "password": "secret123"},
    )
    assert resp.headers["Location"].endswith("/ho-so/?page=2")


def test_safe_next_unit(app):
    with app.test_request_context():
        assert safe_next("/lich-su/?q=a") == "/lich-su/?q=a"
        for bad in BAD_NEXT + [None, "/ok\x7f"]:
            assert safe_next(bad) == "/", bad
