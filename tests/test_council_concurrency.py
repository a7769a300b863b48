"""Fifteen council members send 300-nominee secret ballots at the same moment, over real HTTP.

A real threaded WSGI server (werkzeug's make_server, as tests/browser does) serves the test's
app on 127.0.0.1; each member signs in with its own cookie jar and CSRF token, then a barrier
releases the 15 POSTs together. Nothing may be lost or doubled: 15 × 300 receipts, 15 × 300
sealed ballots, and close_vote counts exactly the seeded "agree"s for every nominee. Then a
second ballot from the same member, and a ballot after closing, are both refused.
"""

from __future__ import annotations

import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from http.cookiejar import CookieJar

import pytest
from sqlalchemy import func, select
from werkzeug.serving import WSGIRequestHandler, make_server

from dossier.audit import AuditEvent, verify
from dossier.council import operations as ops
from dossier.council.models import BallotReceipt, Meeting, Result, SealedBallot
from dossier.enums import Gender, NomineeKind, NomineeStatus, Role
from dossier.extensions import db
from dossier.intake import operations as intake_ops
from dossier.nominations.models import AchievementReport, Dossier, Nominee
from dossier.org.models import Staff, User
from dossier.text import fold, name_sort_key
from dossier.timeutil import now
from tests import builders as b
from tests import dossier_builders as db_
from tests.council_builders import council

# Threads race on real transactions: each commit must be seen by the others.
pytestmark = pytest.mark.real_db

MEMBERS, UNITS, PER_UNIT = 15, 10, 30  # 15 members × 300 nominees
NOMINEES = UNITS * PER_UNIT
SEED = 20261221
PASSWORD = "secret123"  # tests/builders.user's default
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
RECORDED = "Đã ghi nhận phiếu kín"


# --- the scenario, built in bulk ------------------------------------------------------------


def frozen_list(units: int, per_unit: int):
    """A campaign with units × per_unit LĐTT nominees in accepted dossiers, sent to the
    council. Dossiers and nominees are inserted directly (as demo_dossiers._bulk does):
    building 300 nominees through the operations would take most of the test's time."""
    c = db_.campaign()
    ldtt = next(f for f in c.award_forms if f.code == "LDTT")
    for k in range(units):
        unit = b.unit()
        d = Dossier(
            campaign_id=c.id,
            unit_id=unit.id,
            seq=1,
            state="accepted",
            revision=1,
            submitted_at=now(),
            letter_number=f"{k + 1}/TTr",
            letter_date=date.today(),
            letter_signer="Thủ trưởng",
            meeting_date=date.today(),
            meeting_chair="Chủ trì",
            meeting_secretary="Thư ký",
            meeting_present=per_unit + 1,
            meeting_total=per_unit + 1,
        )
        db.session.add(d)
        db.session.flush()
        for i in range(per_unit):
            name = f"Nguyễn Văn Người{k * per_unit + i + 1}"
            person = Staff(unit_id=unit.id, position="Chuyên viên", gender=Gender.MALE)
            person.set_name(name)
            db.session.add(
                Nominee(
                    dossier_id=d.id,
                    kind=NomineeKind.INDIVIDUAL,
                    staff=person,
                    name=name,
                    name_folded=fold(name),
                    sort_key=name_sort_key(name),
                    position="Chuyên viên",
                    unit_label=unit.name,
                    gender=Gender.MALE,
                    award_form_id=ldtt.id,
                    status=NomineeStatus.PROPOSED,
                    votes_for=per_unit,
                    votes_against=1,
                    report=AchievementReport(
                        duties="Chuyên môn.", achievements="Hoàn thành tốt.", confirmed_at=now()
                    ),
                )
            )
        db.session.flush()
    intake_ops.send_to_council(
        b.user(Role.OFFICE), c, letter_number="1/TTr-VP", letter_date=None, confirm_missing=True
    )
    db.session.commit()
    return c


def open_meeting(c, size: int):
    """A council of `size`, all present, the vote open; returns (meeting, chair, everyone)."""
    chair, secretary, members = council(c.year, size)
    office = b.user(Role.OFFICE)
    m = ops.create_meeting(office, c, held_on=date.today(), place="Phòng họp tầng 2", guests=None)
    everyone = [chair, secretary, *members]
    ops.set_attendance(office, m, version=m.version, present_ids={u.id for u in everyone})
    ops.open_vote(chair, m, version=m.version)
    db.session.commit()
    return m, chair, everyone


def seeded_ballots(member_ids: list[int], nominee_ids: list[int], seed: int = SEED):
    """{member: {nominee: agree}}: each nominee its own share of "agree", so some pass (more
    than half of those present) and some fail; returns (ballots, expected agree counts)."""
    rng = random.Random(seed)
    share = {nid: rng.uniform(0.15, 0.95) for nid in nominee_ids}
    ballots = {uid: {nid: rng.random() < share[nid] for nid in nominee_ids} for uid in member_ids}
    expected = {nid: sum(ballots[uid][nid] for uid in member_ids) for nid in nominee_ids}
    return ballots, expected


# --- a real HTTP server and real HTTP clients -----------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # 60+ request lines add nothing
        pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand back a 3xx as it is: the test checks where it points, then follows it itself."""

    def http_error_302(self, req, fp, code, msg, headers):
        return fp

    http_error_301 = http_error_303 = http_error_307 = http_error_302


class Browser:
    """One member's own connection state: a cookie jar (the session) and its CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect
        )

    def _open(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            resp = self.opener.open(self.base + path, data=body, timeout=120)
        except urllib.error.HTTPError as err:  # 4xx/5xx: a status to assert on, not a crash
            resp = err
        with resp:
            return resp.status, resp.headers.get("Location", ""), resp.read().decode()

    def get(self, path: str) -> tuple[int, str]:
        status, _, html = self._open(path)
        return status, html

    def post(self, path: str, data: dict) -> tuple[int, str]:
        status, location, _ = self._open(path, data)
        return status, location

    def token(self, path: str) -> str:
        status, html = self.get(path)
        assert status == 200, (path, status)
        match = CSRF_RE.search(html)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        status, location = self.post(
            "/dang-nhap",
            {"csrf_token": self.token("/dang-nhap"), "username": username, "password": password},
        )
        assert status == 302, f"sign-in of {username}: HTTP {status}"


@pytest.fixture
def live(app):
    """The test's own app (so the test's database) on a real threaded HTTP server."""
    db.session.commit()  # what the test built is visible to the server's connections
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def ballot_form(token: str, votes: dict[int, bool]) -> dict[str, str]:
    form = {f"vote_{nid}": "agree" if agree else "disagree" for nid, agree in votes.items()}
    form["csrf_token"] = token
    return form


def flashed(browser: Browser, location: str) -> str:
    """The page the 302 points to, where the flash message is shown."""
    status, html = browser.get(urllib.parse.urlsplit(location).path)
    assert status == 200, (location, status)
    return html


def counts(meeting_id: int) -> tuple[int, int]:
    receipts = db.session.scalar(
        select(func.count())
        .select_from(BallotReceipt)
        .where(BallotReceipt.meeting_id == meeting_id)
    )
    sealed = db.session.scalar(
        select(func.count()).select_from(SealedBallot).where(SealedBallot.meeting_id == meeting_id)
    )
    db.session.commit()  # end the read: on SQLite it holds the write lock (BEGIN IMMEDIATE)
    return receipts, sealed


def tallies(meeting_id: int) -> dict[int, tuple[int, int, int, bool]]:
    rows = {
        r.nominee_id: (r.agree, r.valid, r.returned, r.passed)
        for r in db.session.scalars(select(Result).where(Result.meeting_id == meeting_id))
    }
    db.session.commit()
    return rows


# --- the test ---------------------------------------------------------------------------------


@pytest.fixture
def scenario(app):
    c = frozen_list(UNITS, PER_UNIT)
    m, chair, everyone = open_meeting(c, MEMBERS)
    nominee_ids = sorted(r.nominee_id for r in ops.rows(m))
    assert len(nominee_ids) == NOMINEES and len(everyone) == MEMBERS
    ballots, expected = seeded_ballots([u.id for u in everyone], nominee_ids)
    names = {u.id: u.username for u in everyone}
    db.session.commit()
    return m.id, chair.id, names, ballots, expected


def test_fifteen_members_vote_on_300_at_once_over_http(app, scenario, live):
    meeting_id, chair_id, names, ballots, expected = scenario
    page, url = f"/hoi-dong/{meeting_id}", f"/hoi-dong/{meeting_id}/bo-phieu"
    members = list(names)

    browsers, tokens = {}, {}
    for uid in members:  # sign in one after another; then a fresh token from the meeting page
        browsers[uid] = Browser(live)
        browsers[uid].sign_in(names[uid])
        tokens[uid] = browsers[uid].token(page)
    forms = {uid: ballot_form(tokens[uid], ballots[uid]) for uid in members}

    barrier = threading.Barrier(len(members))
    outcome: dict[int, tuple] = {}

    def vote(uid: int) -> None:
        try:
            barrier.wait(30)
            t0 = time.perf_counter()
            status, location = browsers[uid].post(url, forms[uid])
            elapsed = time.perf_counter() - t0
            html = flashed(browsers[uid], location) if status == 302 else ""
            outcome[uid] = (status, location, html, elapsed)
        except Exception as err:  # reported by the assertions below, with the member
            outcome[uid] = (None, "", repr(err), 0.0)

    threads = [threading.Thread(target=vote, args=(uid,)) for uid in members]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    wall = time.perf_counter() - t0
    latencies = sorted(o[3] for o in outcome.values())
    print(
        f"\n{MEMBERS} × {NOMINEES} ballots over HTTP: wall {wall:.2f} s, "
        f"POST latency min {latencies[0]:.2f} s, max {latencies[-1]:.2f} s "
        f"({db.engine.dialect.name})"
    )

    assert len(outcome) == MEMBERS
    for uid in members:
        status, location, html, _ = outcome[uid]
        assert status == 302, f"{names[uid]}: HTTP {status} {html[:300]}"
        assert urllib.parse.urlsplit(location).path == page, (names[uid], location)
        assert RECORDED in html and f"({NOMINEES} người)" in html, names[uid]

    assert counts(meeting_id) == (MEMBERS * NOMINEES, MEMBERS * NOMINEES)
    progress = ops.progress(db.session.get(Meeting, meeting_id))
    assert progress["voters"] == MEMBERS
    assert set(progress["per_nominee"].values()) == {MEMBERS}
    db.session.commit()

    # Second round: the same member sends its ballot again. All or nothing: refused whole.
    again = members[3]
    browsers[again].token(page)  # a member reloading the page before resending
    status, location = browsers[again].post(url, forms[again])
    assert status == 302
    html = flashed(browsers[again], location)
    assert "chỉ bỏ phiếu một lần" in html and RECORDED not in html
    assert counts(meeting_id) == (MEMBERS * NOMINEES, MEMBERS * NOMINEES)

    # The chair closes the vote (in the test): every "agree" counted once, none lost.
    m, chair = db.session.get(Meeting, meeting_id), db.session.get(User, chair_id)
    results = ops.close_vote(chair, m, version=m.version)
    db.session.commit()
    assert len(results) == NOMINEES
    counted = tallies(meeting_id)
    assert {nid: t[0] for nid, t in counted.items()} == expected
    assert all(t[1] == MEMBERS and t[2] == MEMBERS for t in counted.values())
    # LĐTT: "trên 50%" of the 15 present, so 8 agrees pass and 7 do not.
    assert {nid: t[3] for nid, t in counted.items()} == {nid: n >= 8 for nid, n in expected.items()}
    assert 0 < sum(n >= 8 for n in expected.values()) < NOMINEES  # the seed gives both
    assert counts(meeting_id) == (MEMBERS * NOMINEES, 0)  # the ballots themselves are gone

    # After closing, a ballot is refused and changes nothing.
    late = members[-1]
    status, location = browsers[late].post(
        url, ballot_form(browsers[late].token(page), ballots[late])
    )
    assert status == 302
    html = flashed(browsers[late], location)
    assert "Biểu quyết không mở" in html and RECORDED not in html
    assert tallies(meeting_id) == counted
    assert counts(meeting_id) == (MEMBERS * NOMINEES, 0)

    casts = db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.object_id == meeting_id, AuditEvent.action == "ballot_cast")
    )
    assert casts == MEMBERS
    assert verify()[1] is None  # 15 audit appends at once kept the hash chain whole
    db.session.commit()
