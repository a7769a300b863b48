"""Every response carries the security headers; no page holds a script the app did not ship.

The sweep signs in as each demo role (and as nobody), requests every GET route of the URL
map (with the sample values tests/test_access.py uses) and follows the links each page
offers, so real pages with real ids are seen too: the dossier, reports, council, decisions,
downloads (PDF, XLSX, DOCX, ZIP), the error pages a role meets (403, 404). The demo has one
more dossier whose every unit-typed field holds hostile text (tests/hostile.py).
"""

from __future__ import annotations

import re
from collections import Counter, deque
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from dossier.campaigns.models import Campaign
from dossier.enums import NomineeKind
from dossier.extensions import db
from dossier.nominations import operations as ops
from dossier.org.models import Unit, User
from dossier.timeutil import now
from tests.conftest import login
from tests.dossier_builders import scans
from tests.hostile import (
    NAME,
    PAYLOADS,
    header_problems,
    html_problems,
    scan,
    shows_literally,
)
from tests.test_access import STATIC, _sample_url

# One backend is enough: headers and markup do not depend on the database.
pytestmark = pytest.mark.one_backend("neutral")

IDENTITIES = [
    None,  # anonymous
    "quantri",
    "giamdoc",
    "phogiamdoc",
    "chanhvanphong",
    "vanphong",
    "truongphong.qlkh",
    "canbo.qlkh",
    "congdoan",
]
PER_ENDPOINT = 3  # pages of one route per identity: enough to see each kind of page
HTML = "text/html"


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def hostile_dossier() -> int:
    """QLKH's dossier, every field the unit types holding hostile text; the Văn phòng has
    returned it with hostile reasons, so it is editable again (the "Bỏ" buttons show)."""
    head, office = _user("truongphong.qlkh"), _user("vanphong")
    campaign = db.session.scalars(select(Campaign).order_by(Campaign.id)).first()
    unit = db.session.scalar(select(Unit).where(Unit.code == "QLKH"))
    forms = {f.code: f for f in campaign.award_forms}
    d = ops.create_dossier(head, campaign, unit)
    db.session.flush()
    text = "\n".join(PAYLOADS)
    ops.update_letter(
        head,
        d,
        version=d.version,
        number=PAYLOADS[2],
        letter_date=now().date(),
        signer=PAYLOADS[1],
        text=text,
    )
    db.session.flush()
    for payload in PAYLOADS:
        ops.add_nominee(
            head,
            d,
            version=d.version,
            kind=NomineeKind.INDIVIDUAL,
            award_form_id=forms["LDTT"].id,
            name=payload,
            position=PAYLOADS[2],
        )
        db.session.flush()
    for n in d.nominees:
        ops.save_report(
            head,
            n,
            version=d.version,
            hometown=PAYLOADS[1],
            duties=text,
            situation=text,
            achievements=text,
            initiatives=text,
            awards_received=text,
        )
        db.session.flush()
        ops.confirm_report(head, n, version=d.version)
        db.session.flush()
    ops.update_minutes(
        head,
        d,
        version=d.version,
        meeting_date=now().date() - timedelta(days=1),
        chair=PAYLOADS[1],
        secretary=NAME,
        present=8,
        total=8,
        votes={n.id: (8, 0) for n in d.nominees},
    )
    db.session.flush()
    scans(d, head)
    ops.submit(head, d, version=d.version)
    db.session.flush()
    ops.return_for_revision(
        office,
        d,
        version=d.version,
        items=[
            {"nominee_id": n.id, "component": "report", "reason": p}
            for n, p in zip(d.nominees, PAYLOADS, strict=True)
        ],
        comment=PAYLOADS[2],
    )
    db.session.commit()
    return d.id


@pytest.fixture
def demo(demo_loaded):
    app = demo_loaded
    app.config["HOSTILE_DOSSIER"] = hostile_dossier()
    return app


def _hostile_pages(app) -> list[str]:
    """Seen first by everyone: the per-route limit must not skip them."""
    from dossier.nominations.models import Dossier

    d = db.session.get(Dossier, app.config["HOSTILE_DOSSIER"])
    return [f"/ho-so/{d.id}", *(f"/ho-so/nguoi/{n.id}/bao-cao" for n in d.nominees)]


def _get_routes(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint not in STATIC and "GET" in r.methods]


def _sweep(app, client, who: str) -> tuple[list[str], Counter]:
    """Every GET route once with sample values, then the links the pages offer."""
    adapter = app.url_map.bind("localhost")
    queue = deque(["/", *_hostile_pages(app), *(_sample_url(r) for r in _get_routes(app))])
    visited, per_endpoint, seen = set(), Counter(), Counter()
    problems = []
    while queue:
        url = queue.popleft()
        if url in visited:
            continue
        visited.add(url)
        path = urlsplit(url).path
        try:
            endpoint = adapter.match(path, method="GET")[0]
        except HTTPException:
            endpoint = "(no route)"
        if endpoint in STATIC or per_endpoint[endpoint] >= PER_ENDPOINT:
            continue
        per_endpoint[endpoint] += 1
        resp = client.get(url)
        kind = resp.mimetype or ""
        seen[(resp.status_code, kind)] += 1
        where = f"{who} GET {url} ({resp.status_code} {kind})"
        problems += [f"{where}: {p}" for p in header_problems(resp)]
        if resp.status_code in (301, 302, 303):
            queue.append(urljoin(url, resp.headers["Location"]))
        if kind == HTML:
            page = scan(resp.get_data(as_text=True))
            problems += [f"{where}: {p}" for p in page.problems]
            for href in page.links:
                target = urlsplit(urljoin(url, href))
                if target.netloc in ("", "localhost") and target.path.startswith("/"):
                    queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return problems, seen


def test_every_page_as_every_role_has_the_headers_and_no_inline_script(demo):
    problems, seen, pages = [], Counter(), 0
    for i, username in enumerate(IDENTITIES):
        client = demo.test_client()
        # Each identity from its own address: the sweep opens dead e-mail links (/thu/…),
        # which count against the address's sign-in budget as a guesser's would.
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{i + 1}"
        if username:
            assert login(client, username, "demo1234").status_code == 302, username
        found, kinds = _sweep(demo, client, username or "anonymous")
        problems += found
        seen += kinds
        pages += sum(kinds.values())
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])
    # The sweep saw what it claims to: pages, downloads and error pages of each kind.
    kinds = {kind for _, kind in seen}
    statuses = {status for status, kind in seen if kind == HTML}
    assert {200, 403, 404} <= statuses, statuses
    assert {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    } <= kinds, kinds
    assert pages > 400, pages
    # And the page it checked holds the hostile names, as text.
    client = demo.test_client()
    login(client, "truongphong.qlkh", "demo1234")
    dossier_page, report_page = _hostile_pages(demo)[:2]
    html = client.get(dossier_page).get_data(as_text=True)
    assert 'data-confirm="Bỏ B&#39;+alert(1)+&#39; khỏi danh sách?"' in html
    for payload in PAYLOADS:
        assert shows_literally(html, payload), payload
    report = client.get(report_page).get_data(as_text=True)
    assert shows_literally(report, PAYLOADS[1])


@pytest.mark.parametrize(
    "path,method,status",
    [
        ("/khong-co-trang-nay", "GET", 404),
        ("/quan-tri/co-quan", "GET", 403),  # signed in without the admin role
        ("/dang-xuat", "GET", 405),
        ("/ho-so/tao", "POST", 400),  # no CSRF token
    ],
)
def test_error_pages_carry_the_headers(app, as_user, path, method, status):
    from dossier.enums import Role
    from tests import builders as b

    client = as_user(b.user(Role.UNIT_CLERK)).client
    resp = client.open(path, method=method)
    assert resp.status_code == status
    assert not header_problems(resp)
    assert not html_problems(resp.get_data(as_text=True))


@pytest.mark.real_db
def test_an_unexpected_error_page_carries_the_headers(app, client):
    from dossier.access import public

    @public
    def boom():
        raise RuntimeError("boom")

    app.add_url_rule("/thu-loi", "boom", boom)
    resp = client.get("/thu-loi")
    assert resp.status_code == 500 and "Lỗi hệ thống" in resp.get_data(as_text=True)
    assert not header_problems(resp)


def test_static_files_are_not_sniffed(app, client):
    for path in (
        "/static/app.js",
        "/static/app.css",
        "/bootstrap/static/js/bootstrap.min.js",
        "/bootstrap/static/css/bootstrap.min.css",
    ):
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert not header_problems(resp), path
        assert resp.mimetype in ("text/javascript", "text/css"), (path, resp.mimetype)
        resp.close()


def test_mail_link_pages_keep_the_stricter_referrer_policy(app, client):
    resp = client.get("/thu/khong-hop-le")
    assert resp.status_code in (404, 410)
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    assert not header_problems(resp)


def test_hsts_only_over_https(app, client):
    assert "Strict-Transport-Security" not in client.get("/dang-nhap").headers
    # A client's own X-Forwarded-Proto is not trusted (only ProxyFix, set for a real
    # proxy, makes request.is_secure true).
    spoofed = client.get("/dang-nhap", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers
    secure = client.get("/dang-nhap", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert not header_problems(secure)


def test_the_base_page_loads_only_the_apps_own_scripts(app, client):
    html = client.get("/dang-nhap").get_data(as_text=True)
    assert re.search(r'<script src="/static/app\.js\?v=[0-9a-f]{12}"></script>', html)
    assert not html_problems(html)
