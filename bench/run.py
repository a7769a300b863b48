#!/usr/bin/env python
"""Benchmarks of the dossier workflow at department scale; see bench/README.md.

Prints one JSON object per line (name, value, unit, n, stat, note). Inputs are seeded, on a
fresh database: a temporary SQLite file, or BENCH_DATABASE_URL (its tables are dropped first).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from http.cookiejar import CookieJar
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select  # noqa: E402
from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

from dossier import create_app  # noqa: E402
from dossier.audit import AuditEvent  # noqa: E402
from dossier.campaigns.models import Campaign  # noqa: E402
from dossier.demo import load_demo  # noqa: E402
from dossier.demo_org import DEMO_PASSWORD, _people  # noqa: E402
from dossier.enums import CampaignKind, NomineeKind, Role, UnitKind  # noqa: E402
from dossier.extensions import db  # noqa: E402
from dossier.nominations import operations as ops  # noqa: E402
from dossier.nominations.models import Dossier  # noqa: E402
from dossier.org.models import RoleAssignment, Staff, Unit, User  # noqa: E402
from dossier.states import DossierState  # noqa: E402
from dossier.timeutil import now  # noqa: E402

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SEED = 20261220


class Queries:
    """Counts SQL statements sent to the database (BEGIN excluded: dialects differ)."""

    count = 0

    @classmethod
    def on_execute(cls, conn, cursor, statement, *args) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            cls.count += 1


def emit(name, value, unit, n, stat, note) -> None:
    print(
        json.dumps(
            {
                "name": name,
                "value": round(float(value), 3),
                "unit": unit,
                "n": n,
                "stat": stat,
                "note": note,
            },
            ensure_ascii=False,
        ),
        flush=True,
    )


def p95(values: list[float]) -> float:
    ordered = sorted(values)  # nearest-rank percentile
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def make_app(tmp: Path):
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        os.environ["DATABASE_URL"] = url  # normalised by dossier.config.database_url
    config = {
        "SECRET_KEY": "bench-secret",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "UPLOAD_FOLDER": str(tmp / "uploads"),
    }
    if not url:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp / 'bench.db'}"
    app = create_app(config)
    with app.app_context():
        if url:
            db.drop_all()
        db.create_all()
        event.listen(db.engine, "before_cursor_execute", Queries.on_execute)
    return app


# --- building dossiers through the real operations ---------------------------------

_built = 0


def fresh_unit(per_unit: int) -> tuple[int, int]:
    """A new unit with a head (UNIT_HEAD role) and per_unit other staff, uniquely named."""
    global _built
    _built += 1
    k, rng = _built, random.Random(SEED + _built)
    unit = Unit(
        code=f"BENCH{k}",
        name=f"Đơn vị đo hiệu năng {k}",
        kind=UnitKind.DIVISION,
        sort_order=5000 + k,
    )
    db.session.add(unit)
    db.session.flush()
    names: dict[str, object] = {}
    while len(names) < per_unit + 1:  # add_nominee refuses two people with one name
        for name, gender in _people(rng, per_unit + 1 - len(names)):
            names.setdefault(name, gender)
    staff = []
    for name, gender in names.items():
        s = Staff(unit_id=unit.id, position="Chuyên viên", gender=gender)
        s.set_name(name)
        staff.append(s)
    db.session.add_all(staff)
    db.session.flush()
    head = User(username=f"bench.head{k}", staff_id=staff[0].id, password_hash="!")
    head.roles.append(RoleAssignment(role=Role.UNIT_HEAD, unit_id=unit.id))
    db.session.add(head)
    db.session.commit()
    return unit.id, head.id


def build_dossier(campaign_id: int, unit_id: int, head_id: int) -> Dossier:
    """create_dossier, letter, one LDTT nominee per staff member, reports, confirmations,
    minutes with votes: the steps of tests/flow_builders.complete, flushed one by one."""
    head, unit = db.session.get(User, head_id), db.session.get(Unit, unit_id)
    campaign = db.session.get(Campaign, campaign_id)
    d = ops.create_dossier(head, campaign, unit)
    ldtt = next(f for f in campaign.award_forms if f.code == "LDTT")
    ops.update_letter(
        head,
        d,
        version=d.version,
        number=f"{unit.id}/TTr-{unit.code}",
        letter_date=now().date(),
        signer=head.display_name,
        text="Đề nghị.",
    )
    db.session.flush()
    people = db.session.scalars(
        select(Staff).where(Staff.unit_id == unit_id, Staff.id != head.staff_id).order_by(Staff.id)
    ).all()
    for person in people:
        ops.add_nominee(
            head,
            d,
            version=d.version,
            kind=NomineeKind.INDIVIDUAL,
            award_form_id=ldtt.id,
            staff_id=person.id,
        )
        db.session.flush()
    for n in d.nominees:
        ops.save_report(
            head,
            n,
            version=d.version,
            duties="Tham mưu.",
            situation="Phòng chuyên môn.",
            achievements="Hoàn thành xuất sắc.",
        )
        db.session.flush()
        ops.confirm_report(head, n, version=d.version)
        db.session.flush()
    present = len(people) + 1
    ops.update_minutes(
        head,
        d,
        version=d.version,
        meeting_date=now().date() - timedelta(days=1),
        chair=head.display_name,
        secretary=people[-1].full_name,
        present=present,
        total=present,
        votes={n.id: (present - 1, 1) for n in d.nominees},
    )
    db.session.commit()
    return d


def complete_draft(campaign_id: int, per_unit: int) -> tuple[int, int]:
    unit_id, head_id = fresh_unit(per_unit)
    return build_dossier(campaign_id, unit_id, head_id).id, head_id


def submit_timed(dossier_id: int, head_id: int) -> tuple[float, int]:
    """ops.submit + commit on a dossier loaded fresh (its nominees load lazily, inside)."""
    db.session.remove()
    d, head = db.session.get(Dossier, dossier_id), db.session.get(User, head_id)
    q0, t0 = Queries.count, time.perf_counter()
    ops.submit(head, d, version=d.version)
    db.session.commit()
    return time.perf_counter() - t0, Queries.count - q0


# --- pages through the Flask test client ---------------------------------------------


def signed_in(app, username: str):
    client = app.test_client()
    token = CSRF_RE.search(client.get("/dang-nhap").get_data(as_text=True)).group(1)
    resp = client.post(
        "/dang-nhap", data={"csrf_token": token, "username": username, "password": DEMO_PASSWORD}
    )
    if resp.status_code != 302:
        raise SystemExit(f"login as {username} failed: HTTP {resp.status_code}")
    return client


def page(app, name, username, url, requests, warmups, note) -> None:
    client = signed_in(app, username)
    times, queries = [], []
    for i in range(warmups + requests):
        q0, t0 = Queries.count, time.perf_counter()
        resp = client.get(url)
        elapsed, sent = time.perf_counter() - t0, Queries.count - q0
        if resp.status_code != 200:
            raise SystemExit(f"{name}: GET {url} -> HTTP {resp.status_code}")
        if i >= warmups:
            times.append(elapsed * 1000)
            queries.append(sent)
    note = f"GET {url} as {username}: {note}; test client, server time only, no network"
    emit(name, statistics.median(times), "ms", len(times), "median", note)
    emit(name, p95(times), "ms", len(times), "p95", note)
    emit(
        f"{name}_queries",
        statistics.median(queries),
        "queries",
        len(queries),
        "median",
        f"SQL statements per request (BEGIN excluded), {name}",
    )


def bench_create(campaign_id, units, per, n, ready) -> None:
    name, runs, counts = f"dossier_create_{per}", [], []
    for _ in range(n):
        unit_id, head_id = fresh_unit(per)  # setup, not timed
        q0, t0 = Queries.count, time.perf_counter()
        d = build_dossier(campaign_id, unit_id, head_id)
        runs.append(time.perf_counter() - t0)
        counts.append(Queries.count - q0)
        ready.append((d.id, head_id))
    emit(
        name,
        statistics.median(runs),
        "s",
        n,
        "median",
        f"create_dossier, letter, {per} add_nominee, {per} save_report + confirm_report, "
        f"minutes with votes, flush after each op, one commit; {units} units loaded; "
        "creating the unit and its staff not timed",
    )
    emit(
        f"{name}_per_nominee",
        statistics.median(runs) / per * 1000,
        "ms",
        n,
        "median",
        f"{name} divided by {per} nominees",
    )
    emit(
        f"{name}_queries",
        statistics.median(counts),
        "queries",
        n,
        "median",
        f"SQL statements of {name} (BEGIN excluded)",
    )


def bench_submit(campaign_id, per, n, ready) -> int:
    while len(ready) < n:  # build them all before timing any submit
        ready.append(complete_draft(campaign_id, per))
    runs, counts = zip(*(submit_timed(d_id, head_id) for d_id, head_id in ready[:n]), strict=True)
    emit(
        f"dossier_submit_{per}",
        statistics.median(runs) * 1000,
        "ms",
        n,
        "median",
        f"ops.submit on a complete {per}-nominee dossier loaded fresh (nominees, reports "
        "load inside): checklist, guards, state change, snapshot JSON, audit; + commit",
    )
    emit(
        f"dossier_submit_{per}_queries",
        statistics.median(counts),
        "queries",
        n,
        "median",
        f"SQL statements of dossier_submit_{per} (BEGIN excluded)",
    )
    return ready[n - 1][0]


def timed(fn, n: int) -> tuple[float, object]:
    runs, result = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), result


def bench_list(campaign_id: int, n: int, history: int) -> None:
    """The consolidated list at full size: checks, then its XLSX and PDF."""
    from dossier.intake import export, export_pdf, rules
    from dossier.org.models import Agency

    campaign = db.session.get(Campaign, campaign_id)
    q0 = Queries.count
    build_s, cons = timed(lambda: rules.build(campaign), n)
    rows, queries = len(cons.rows), (Queries.count - q0) / n
    note = (
        f"rules.build: {rows} nominees in play, every check (duplicates, quota, history "
        f"prerequisites over {history} history records, registrations, unit votes, holds)"
    )
    emit(f"list_build_{rows}", build_s * 1000, "ms", n, "median", note)
    emit(f"list_build_{rows}_queries", queries, "queries", n, "median", "SQL statements")
    agency = Agency.get()
    xlsx_s, _ = timed(lambda: export.to_xlsx(cons, agency_name=agency.name, version=1), n)
    emit(
        f"list_xlsx_{rows}",
        xlsx_s,
        "s",
        n,
        "median",
        f"export.to_xlsx of the built list ({rows} rows, findings sheet), openpyxl write-only",
    )
    pdf_s, pdf = timed(lambda: export_pdf.to_pdf(cons, agency=agency, version=1), n)
    emit(
        f"list_pdf_{rows}",
        pdf_s,
        "s",
        n,
        "median",
        f"export_pdf.to_pdf of the built list ({rows} rows, {len(pdf) // 1024} KiB), warm fonts",
    )


# --- the council: 15 members vote on 300 nominees at once, over real HTTP ------------------

COUNCIL_SIZE, COUNCIL_UNITS, COUNCIL_PER_UNIT = 15, 10, 30  # 15 members × 300 nominees


def council_setup() -> tuple[int, list[int], dict[int, str]]:
    """A campaign of its own (a far year, so the demo's council is not in it) with 300 LĐTT
    nominees in accepted dossiers (inserted in bulk, as demo_dossiers._bulk does), sent to
    the council; 15 council accounts. Returns (campaign id, chair first, usernames)."""
    from werkzeug.security import generate_password_hash

    from dossier.campaigns.catalogue import ensure_default_forms
    from dossier.enums import CouncilPosition, Gender, NomineeStatus
    from dossier.intake import operations as intake_ops
    from dossier.nominations.models import AchievementReport, Nominee
    from dossier.text import fold, name_sort_key
    from dossier.timeutil import cutoff_before, local_now

    rng, year = random.Random(SEED + 300), local_now().year + 50
    forms = ensure_default_forms()
    ldtt = next(f for f in forms if f.code == "LDTT")
    campaign = Campaign(
        name=f"Đo hiệu năng Hội đồng năm {year}",
        year=year,
        kind=CampaignKind.YEARLY,
        award_forms=list(forms),
        cutoff_at=cutoff_before(local_now().date() + timedelta(days=30)),
    )
    db.session.add(campaign)
    db.session.flush()
    names: dict[str, object] = {}
    while len(names) < COUNCIL_UNITS * COUNCIL_PER_UNIT + COUNCIL_SIZE:
        for name, gender in _people(rng, 50):
            names.setdefault(name, gender)
    people = iter(names.items())
    for k in range(1, COUNCIL_UNITS + 1):
        unit = Unit(
            code=f"HDBENCH{k}",
            name=f"Đơn vị đo Hội đồng {k}",
            kind=UnitKind.DIVISION,
            sort_order=9000 + k,
        )
        db.session.add(unit)
        db.session.flush()
        d = Dossier(
            campaign_id=campaign.id,
            unit_id=unit.id,
            seq=1,
            state=DossierState.ACCEPTED,
            revision=1,
            submitted_at=now(),
            letter_number=f"{k}/TTr-HD{k}",
            letter_date=now().date(),
            letter_signer="Thủ trưởng",
            meeting_date=now().date(),
            meeting_chair="Chủ trì",
            meeting_secretary="Thư ký",
            meeting_present=COUNCIL_PER_UNIT + 1,
            meeting_total=COUNCIL_PER_UNIT + 1,
        )
        db.session.add(d)
        db.session.flush()
        for _ in range(COUNCIL_PER_UNIT):
            name, gender = next(people)
            staff = Staff(unit_id=unit.id, position="Chuyên viên", gender=gender)
            staff.set_name(name)
            db.session.add(
                Nominee(
                    dossier_id=d.id,
                    kind=NomineeKind.INDIVIDUAL,
                    staff=staff,
                    name=name,
                    name_folded=fold(name),
                    sort_key=name_sort_key(name),
                    position="Chuyên viên",
                    unit_label=unit.name,
                    gender=Gender(gender),
                    award_form_id=ldtt.id,
                    status=NomineeStatus.PROPOSED,
                    votes_for=COUNCIL_PER_UNIT,
                    votes_against=1,
                    report=AchievementReport(
                        duties="Chuyên môn.", achievements="Hoàn thành tốt.", confirmed_at=now()
                    ),
                )
            )
        db.session.flush()
    office = db.session.scalar(select(User).where(User.username == "vanphong"))
    intake_ops.send_to_council(office, campaign, letter_number="99/TTr-VP", letter_date=None)
    home = Unit(
        code="HDBENCH0", name="Hội đồng đo hiệu năng", kind=UnitKind.DIVISION, sort_order=9000
    )
    db.session.add(home)
    db.session.flush()
    password = generate_password_hash(DEMO_PASSWORD)  # one hash for all: setup, not timed
    users = []
    for i in range(COUNCIL_SIZE):
        name, gender = next(people)
        staff = Staff(unit_id=home.id, position="Ủy viên", gender=gender)
        staff.set_name(name)
        db.session.add(staff)
        db.session.flush()
        user = User(username=f"bench.hd{i}", staff_id=staff.id, password_hash=password)
        position = (
            CouncilPosition.CHAIR
            if i == 0
            else CouncilPosition.SECRETARY
            if i == 1
            else CouncilPosition.MEMBER
        )
        user.roles.append(RoleAssignment(role=Role.COUNCIL, council_position=position, year=year))
        users.append(user)
    db.session.add_all(users)
    db.session.commit()
    return campaign.id, [u.id for u in users], {u.id: u.username for u in users}


def council_meeting(campaign_id: int, member_ids: list[int]) -> tuple[int, list[int]]:
    """A new meeting on the frozen list, all 15 present, the vote open (not timed)."""
    from dossier.council import operations as council_ops

    campaign = db.session.get(Campaign, campaign_id)
    office = db.session.scalar(select(User).where(User.username == "vanphong"))
    chair = db.session.get(User, member_ids[0])
    m = council_ops.create_meeting(
        office, campaign, held_on=now().date(), place="Phòng họp đo hiệu năng", guests=None
    )
    if {a.member_id for a in m.attendance} != set(member_ids):
        raise SystemExit("council bench: the meeting's council is not the bench's 15 members")
    council_ops.set_attendance(office, m, version=m.version, present_ids=set(member_ids))
    council_ops.open_vote(chair, m, version=m.version)
    nominee_ids = sorted(r.nominee_id for r in council_ops.rows(m))
    db.session.commit()
    return m.id, nominee_ids


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def http_error_302(self, req, fp, code, msg, headers):
        return fp  # the 302 itself is the answer to time


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


class HttpMember:
    """One council member's browser: its own cookie jar (session) over real HTTP."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect
        )

    def open(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            resp = self.opener.open(self.base + path, data=body, timeout=300)
        except urllib.error.HTTPError as err:
            resp = err
        with resp:
            return resp.status, resp.headers.get("Location", ""), resp.read().decode()

    def token(self, path: str) -> str:
        status, _, html = self.open(path)
        match = CSRF_RE.search(html)
        if status != 200 or not match:
            raise SystemExit(f"council bench: GET {path} -> HTTP {status}, no CSRF token")
        return match.group(1)

    def sign_in(self, username: str) -> None:
        status, _, _ = self.open(
            "/dang-nhap",
            {
                "csrf_token": self.token("/dang-nhap"),
                "username": username,
                "password": DEMO_PASSWORD,
            },
        )
        if status != 302:
            raise SystemExit(f"council bench: login as {username} failed: HTTP {status}")


def council_round(
    base: str, meeting_id: int, names: dict[int, str], ballots: dict[int, dict[int, bool]]
) -> tuple[list[float], float, int]:
    """Sign in the 15 (untimed), then release their POSTs together; returns (per-POST
    latencies in s, wall time from the first POST sent to the last answer, SQL statements)."""
    page, url = f"/hoi-dong/{meeting_id}", f"/hoi-dong/{meeting_id}/bo-phieu"
    members, forms = {}, {}
    for uid, username in names.items():
        members[uid] = HttpMember(base)
        members[uid].sign_in(username)
        forms[uid] = {
            f"vote_{nid}": "agree" if agree else "disagree" for nid, agree in ballots[uid].items()
        }
        forms[uid]["csrf_token"] = members[uid].token(page)
    barrier = threading.Barrier(len(names))
    spans: dict[int, tuple] = {}

    def vote(uid: int) -> None:
        barrier.wait()
        t0 = time.perf_counter()
        status, location, _ = members[uid].open(url, forms[uid])
        spans[uid] = (t0, time.perf_counter(), status, location)

    threads = [threading.Thread(target=vote, args=(uid,)) for uid in names]
    q0 = Queries.count
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queries = Queries.count - q0
    for uid, (_, _, status, location) in spans.items():
        _, _, html = members[uid].open(urllib.parse.urlsplit(location).path or page)
        if status != 302 or "Đã ghi nhận phiếu kín" not in html:
            raise SystemExit(f"council bench: {names[uid]}'s ballot: HTTP {status}, not recorded")
    wall = max(s[1] for s in spans.values()) - min(s[0] for s in spans.values())
    return [s[1] - s[0] for s in spans.values()], wall, queries


def council_in_process(app, campaign_id, member_ids, rng) -> tuple[list[float], list[float]]:
    """The members cast in turn, in-process: (CPU s, wall s) per cast + commit."""
    from dossier.council import operations as council_ops
    from dossier.council.models import Meeting

    cpu, walls = [], []
    with app.app_context():
        meeting_id, nominee_ids = council_meeting(campaign_id, member_ids)
        ballots = {uid: {nid: rng.random() < 0.6 for nid in nominee_ids} for uid in member_ids}
        for uid in member_ids:
            meeting, user = db.session.get(Meeting, meeting_id), db.session.get(User, uid)
            c0, t0 = time.process_time(), time.perf_counter()
            council_ops.cast(user, meeting, votes=ballots[uid])
            db.session.commit()
            cpu.append(time.process_time() - c0)
            walls.append(time.perf_counter() - t0)
            db.session.remove()
        meeting = db.session.get(Meeting, meeting_id)
        results = council_ops.close_vote(
            db.session.get(User, member_ids[0]), meeting, version=meeting.version
        )
        db.session.commit()
        expected = {nid: sum(ballots[uid][nid] for uid in member_ids) for nid in nominee_ids}
        if {r.nominee_id: r.agree for r in results} != expected:
            raise SystemExit("council bench: the in-process tally differs from the ballots cast")
        db.session.remove()
    return cpu, walls


def bench_council(app, rounds: int) -> None:
    """council_vote_15x300 (real threaded HTTP server) and council_tally_300 (close_vote)."""
    from dossier.council import operations as council_ops
    from dossier.council.models import Meeting

    with app.app_context():
        campaign_id, member_ids, names = council_setup()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    posts, walls, statements, tallies, tally_queries = [], [], [], [], []
    rng = random.Random(SEED + 15)
    try:
        for _ in range(rounds):
            with app.app_context():
                meeting_id, nominee_ids = council_meeting(campaign_id, member_ids)
                db.session.remove()
            share = {nid: rng.uniform(0.15, 0.95) for nid in nominee_ids}
            ballots = {
                uid: {nid: rng.random() < share[nid] for nid in nominee_ids} for uid in member_ids
            }
            latencies, wall, queries = council_round(base, meeting_id, names, ballots)
            posts += latencies
            walls.append(wall)
            statements.append(queries / len(member_ids))
            with app.app_context():  # the chair closes, in-process: the figure is the op
                meeting = db.session.get(Meeting, meeting_id)
                chair = db.session.get(User, member_ids[0])
                q0, t0 = Queries.count, time.perf_counter()
                results = council_ops.close_vote(chair, meeting, version=meeting.version)
                db.session.commit()
                tallies.append(time.perf_counter() - t0)
                tally_queries.append(Queries.count - q0)
                expected = {
                    nid: sum(ballots[uid][nid] for uid in member_ids) for nid in nominee_ids
                }
                if {r.nominee_id: r.agree for r in results} != expected:
                    raise SystemExit("council bench: the tally differs from the ballots sent")
                db.session.remove()
        cast_cpu, cast_walls = council_in_process(app, campaign_id, member_ids, rng)
    finally:
        server.shutdown()
        server.server_close()
    n_ballots, n_nom = COUNCIL_SIZE * len(nominee_ids), len(nominee_ids)
    name = f"council_vote_{COUNCIL_SIZE}x{n_nom}"
    how = (
        f"{COUNCIL_SIZE} members signed in over real HTTP (werkzeug make_server, threaded, "
        f"127.0.0.1), then all POST /hoi-dong/<id>/bo-phieu with {n_nom} votes at once "
        "(threading.Barrier); latency measured by the client, POST sent to 302 read "
        "(loopback HTTP, form parsing, queueing for the database, cast, commit); "
        f"{rounds} round(s), a new meeting each, clients and server in one process"
    )
    emit(
        name,
        n_ballots / statistics.median(walls),
        "ballots/s",
        rounds,
        "median",
        f"throughput: {n_ballots} ballots / wall time from first POST sent to last 302 "
        f"read (median wall {statistics.median(walls):.2f} s); {how}",
    )
    emit(f"{name}_post", statistics.median(posts) * 1000, "ms", len(posts), "median", how)
    emit(f"{name}_post", p95(posts) * 1000, "ms", len(posts), "p95", how)
    emit(
        f"{name}_per_ballot",
        statistics.median(posts) / n_nom * 1000,
        "ms",
        len(posts),
        "median",
        f"{name}_post divided by {n_nom} ballots per POST",
    )
    emit(
        f"{name}_per_ballot",
        p95(posts) / n_nom * 1000,
        "ms",
        len(posts),
        "p95",
        f"{name}_post p95 divided by {n_nom} ballots per POST",
    )
    emit(
        f"{name}_queries",
        statistics.median(statements),
        "queries",
        rounds,
        "median",
        "SQL statements per ballot POST (BEGIN excluded; all 15 POSTs of a round / 15)",
    )
    how = (
        f"in-process, one thread: the {COUNCIL_SIZE} members' council_ops.cast({n_nom} votes) "
        "+ commit one after the other on a new meeting (no HTTP); each vote re-seals every "
        "ballot already cast on those nominees"
    )
    emit(
        f"council_cast_{COUNCIL_SIZE}x{n_nom}_cpu",
        sum(cast_cpu),
        "s",
        1,
        "median",
        f"process CPU time of all {COUNCIL_SIZE} casts; {how}",
    )
    emit(
        f"council_cast_{COUNCIL_SIZE}x{n_nom}_first",
        cast_walls[0] * 1000,
        "ms",
        1,
        "median",
        f"the first cast (nothing to re-seal); {how}",
    )
    emit(
        f"council_cast_{COUNCIL_SIZE}x{n_nom}_last",
        cast_walls[-1] * 1000,
        "ms",
        1,
        "median",
        f"the last cast ({COUNCIL_SIZE - 1} x {n_nom} ballots re-sealed); {how}",
    )
    emit(
        f"council_tally_{n_nom}",
        statistics.median(tallies),
        "s",
        rounds,
        "median",
        f"close_vote + commit as the chair, meeting loaded fresh: decrypt {n_ballots} sealed "
        f"ballots (AES-GCM), thresholds for {n_nom} nominees, their statuses, "
        f"{COUNCIL_UNITS} dossiers to «decided» (workflow + audit), delete the ballots",
    )
    emit(
        f"council_tally_{n_nom}_queries",
        statistics.median(tally_queries),
        "queries",
        rounds,
        "median",
        f"SQL statements of council_tally_{n_nom} (BEGIN excluded)",
    )


def bench_reminders(campaign_id: int, units: int) -> None:
    """One reminder run 3 days before the cut-off, then the same run again (all deduped)."""
    from dossier import timeutil
    from dossier.notify.models import Message
    from dossier.notify.reminders import send_due

    campaign = db.session.get(Campaign, campaign_id)
    timeutil.freeze(campaign.cutoff_at - timedelta(days=2, hours=12))
    try:
        first, _ = timed(send_due, 1)
        queued = db.session.scalar(select(func.count()).select_from(Message))
        again, _ = timed(send_due, 1)
    finally:
        timeutil.freeze(None)
    note = (
        f"send_due() 3 days before the cut-off over {units}+ units: reminders to every "
        f"unit not yet submitted (queued {queued} messages, no SMTP)"
    )
    emit("reminders_run", first, "s", 1, "median", note)
    emit("reminders_rerun", again, "s", 1, "median", "the same run again: every key deduped")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=40)
    ap.add_argument("--nominees-per-unit", type=int, default=50)
    ap.add_argument("--quick", action="store_true", help="small n: a smoke run")
    ap.add_argument(
        "--only",
        action="append",
        default=[],
        help="run only the benchmarks whose name starts with this (repeatable)",
    )
    args = ap.parse_args()
    units, per = args.units, args.nominees_per_unit
    n_create, n_submit = (1, 2) if args.quick else (3, 5)
    requests, warmups = (5, 1) if args.quick else (30, 3)

    def wanted(name: str) -> bool:
        return not args.only or any(name.startswith(o) for o in args.only)

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        app = make_app(Path(tmp))
        with app.app_context():
            t0 = time.perf_counter()
            load_demo(units=units, nominees_per_unit=per)
            db.session.commit()
            emit(
                f"demo_load_{units}x{per}",
                time.perf_counter() - t0,
                "s",
                1,
                "median",
                f"load_demo(units={units}, nominees_per_unit={per}) + commit: demo department "
                f"and dossiers through the operations, then {units * per} nominees in bulk",
            )
            campaign_id = db.session.scalar(
                select(Campaign.id)
                .where(Campaign.kind == CampaignKind.YEARLY)
                .order_by(Campaign.id)
            )
            ready: list[tuple[int, int]] = []  # complete drafts: (dossier id, head id)
            if wanted(f"dossier_create_{per}"):
                bench_create(campaign_id, units, per, n_create, ready)
            submitted = None
            if wanted(f"dossier_submit_{per}"):
                submitted = bench_submit(campaign_id, per, n_submit, ready)
            elif wanted(f"page_dossier_{per}"):
                submitted, head_id = complete_draft(campaign_id, per)  # untimed
                submit_timed(submitted, head_id)
            history = 0
            if wanted("history") or wanted("list_"):
                try:
                    from dossier.history.demo import bulk_history
                except ImportError:  # the history package may not have its bulk loader yet
                    bulk_history = None
                if bulk_history is not None:
                    t0 = time.perf_counter()
                    bulk_history(100_000)
                    db.session.commit()
                    history = 100_000
                    emit(
                        "history_insert_100000",
                        time.perf_counter() - t0,
                        "s",
                        1,
                        "median",
                        "bulk_history(100000) + commit: synthetic award records",
                    )
            if wanted("list_"):
                bench_list(campaign_id, 3 if args.quick else 5, history)
            if wanted("reminders_"):
                bench_reminders(campaign_id, units)
            sent = db.session.scalar(
                select(func.count()).select_from(Dossier).where(Dossier.state != DossierState.DRAFT)
            )
            events = db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.object_type == "dossier", AuditEvent.object_id == submitted)
            )
            db.session.remove()

        # Requests run outside any app context: each gets its own, as in production.
        pages = [
            (
                "page_dossier_list",
                "vanphong",
                "/ho-so/",
                f"office's dossier list, page 1 of {sent} dossiers sent (50 per page)",
            ),
            (
                f"page_dossier_{per}",
                "vanphong",
                f"/ho-so/{submitted}",
                f"a submitted {per}-nominee dossier built through the operations "
                f"({events} audit events in its timeline)",
            ),
            (
                "page_campaign",
                "vanphong",
                f"/dot-thi-dua/{campaign_id}",
                f"yearly campaign page, {units}+ units, most with a dossier",
            ),
            ("page_home_unit_head", "truongphong.qlcn", "/", "unit head's home, its task list"),
            (
                "page_home_office",
                "vanphong",
                "/",
                f"the Văn phòng's to-do inbox at {units} units × {per} nominees",
            ),
            (
                "page_home_substitute",
                "phochanhvanphong",
                "/",
                "the Phó Chánh Văn phòng standing in for the Chánh Văn phòng: the inbox built "
                "for her own roles and again for the delegation",
            ),
            (
                "page_intake",
                "vanphong",
                f"/tiep-nhan/{campaign_id}",
                f"the Văn phòng's intake page: {units}+ units, checks over every nominee in play",
            ),
            (
                "page_list",
                "vanphong",
                f"/tiep-nhan/{campaign_id}/danh-sach",
                "the consolidated list, page 1 of 50 rows; checks computed over the whole list",
            ),
        ]
        for name, username, url, note in pages:
            if wanted(name):
                page(app, name, username, url, requests, warmups, note)
        if wanted("council_vote_15x300") or wanted("council_tally_300"):
            bench_council(app, 1 if args.quick else 3)  # wanted("council_") included
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
