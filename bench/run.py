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
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select  # noqa: E402

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
    print(json.dumps({"name": name, "value": round(float(value), 3), "unit": unit, "n": n,
                      "stat": stat, "note": note}, ensure_ascii=False), flush=True)


def p95(values: list[float]) -> float:
    ordered = sorted(values)  # nearest-rank percentile
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def make_app(tmp: Path):
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        os.environ["DATABASE_URL"] = url  # normalised by dossier.config.database_url
    config = {"SECRET_KEY": "bench-secret", "SESSION_COOKIE_SECURE": False,
              "REMEMBER_COOKIE_SECURE": False, "UPLOAD_FOLDER": str(tmp / "uploads")}
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
    unit = Unit(code=f"BENCH{k}", name=f"Đơn vị đo hiệu năng {k}", kind=UnitKind.DIVISION,
                sort_order=5000 + k)
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
    head = User(username=f"bench.head{k}", staff_id=staff[0].id, password_hash="!",
                session_epoch=0)
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
    ops.update_letter(head, d, version=d.version, number=f"{unit.id}/TTr-{unit.code}",
                      letter_date=now().date(), signer=head.display_name, text="Đề nghị.")
    db.session.flush()
    people = db.session.scalars(select(Staff).where(Staff.unit_id == unit_id,
                                                    Staff.id != head.staff_id)
                                .order_by(Staff.id)).all()
    for person in people:
        ops.add_nominee(head, d, version=d.version, kind=NomineeKind.INDIVIDUAL,
                        award_form_id=ldtt.id, staff_id=person.id)
        db.session.flush()
    for n in d.nominees:
        ops.save_report(head, n, version=d.version, duties="Tham mưu.",
                        situation="Phòng chuyên môn.", achievements="Hoàn thành xuất sắc.")
        db.session.flush()
        ops.confirm_report(head, n, version=d.version)
        db.session.flush()
    present = len(people) + 1
    ops.update_minutes(head, d, version=d.version, meeting_date=now().date() - timedelta(days=1),
                       chair=head.display_name, secretary=people[-1].full_name,
                       present=present, total=present,
                       votes={n.id: (present - 1, 1) for n in d.nominees})
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
    resp = client.post("/dang-nhap", data={"csrf_token": token, "username": username,
                                           "password": DEMO_PASSWORD})
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
    emit(f"{name}_queries", statistics.median(queries), "queries", len(queries), "median",
         f"SQL statements per request (BEGIN excluded), {name}")


def bench_create(campaign_id, units, per, n, ready) -> None:
    name, runs, counts = f"dossier_create_{per}", [], []
    for _ in range(n):
        unit_id, head_id = fresh_unit(per)  # setup, not timed
        q0, t0 = Queries.count, time.perf_counter()
        d = build_dossier(campaign_id, unit_id, head_id)
        runs.append(time.perf_counter() - t0)
        counts.append(Queries.count - q0)
        ready.append((d.id, head_id))
    emit(name, statistics.median(runs), "s", n, "median",
         f"create_dossier, letter, {per} add_nominee, {per} save_report + confirm_report, "
         f"minutes with votes, flush after each op, one commit; {units} units loaded; "
         "creating the unit and its staff not timed")
    emit(f"{name}_per_nominee", statistics.median(runs) / per * 1000, "ms", n, "median",
         f"{name} divided by {per} nominees")
    emit(f"{name}_queries", statistics.median(counts), "queries", n, "median",
         f"SQL statements of {name} (BEGIN excluded)")


def bench_submit(campaign_id, per, n, ready) -> int:
    while len(ready) < n:  # build them all before timing any submit
        ready.append(complete_draft(campaign_id, per))
    runs, counts = zip(*(submit_timed(d_id, head_id) for d_id, head_id in ready[:n]),
                       strict=True)
    emit(f"dossier_submit_{per}", statistics.median(runs) * 1000, "ms", n, "median",
         f"ops.submit on a complete {per}-nominee dossier loaded fresh (nominees, reports "
         "load inside): checklist, guards, state change, snapshot JSON, audit; + commit")
    emit(f"dossier_submit_{per}_queries", statistics.median(counts), "queries", n, "median",
         f"SQL statements of dossier_submit_{per} (BEGIN excluded)")
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
    from dossier.intake import export, rules
    from dossier.org.models import Agency

    campaign = db.session.get(Campaign, campaign_id)
    q0 = Queries.count
    build_s, cons = timed(lambda: rules.build(campaign), n)
    rows, queries = len(cons.rows), (Queries.count - q0) / n
    note = (f"rules.build: {rows} nominees in play, every check (duplicates, quota, history "
            f"prerequisites over {history} history records, registrations, unit votes, holds)")
    emit(f"list_build_{rows}", build_s * 1000, "ms", n, "median", note)
    emit(f"list_build_{rows}_queries", queries, "queries", n, "median", "SQL statements")
    agency = Agency.get()
    xlsx_s, _ = timed(lambda: export.to_xlsx(cons, agency_name=agency.name, version=1), n)
    emit(f"list_xlsx_{rows}", xlsx_s, "s", n, "median",
         f"export.to_xlsx of the built list ({rows} rows, findings sheet), openpyxl write-only")
    pdf_s, pdf = timed(lambda: export.to_pdf(cons, agency=agency, version=1), n)
    emit(f"list_pdf_{rows}", pdf_s, "s", n, "median",
         f"export.to_pdf of the built list ({rows} rows, {len(pdf) // 1024} KiB), warm fonts")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=40)
    ap.add_argument("--nominees-per-unit", type=int, default=50)
    ap.add_argument("--quick", action="store_true", help="small n: a smoke run")
    ap.add_argument("--only", action="append", default=[],
                    help="run only the benchmarks whose name starts with this (repeatable)")
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
            emit(f"demo_load_{units}x{per}", time.perf_counter() - t0, "s", 1, "median",
                 f"load_demo(units={units}, nominees_per_unit={per}) + commit: demo department "
                 f"and dossiers through the operations, then {units * per} nominees in bulk")
            campaign_id = db.session.scalar(select(Campaign.id).where(
                Campaign.kind == CampaignKind.YEARLY).order_by(Campaign.id))
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
                    emit("history_insert_100000", time.perf_counter() - t0, "s", 1, "median",
                         "bulk_history(100000) + commit: synthetic award records")
            if wanted("list_"):
                bench_list(campaign_id, 3 if args.quick else 5, history)
            sent = db.session.scalar(select(func.count()).select_from(Dossier)
                                     .where(Dossier.state != "draft"))
            events = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.object_type == "dossier", AuditEvent.object_id == submitted))
            db.session.remove()

        # Requests run outside any app context: each gets its own, as in production.
        pages = [
            ("page_dossier_list", "vanphong", "/ho-so/",
             f"office's dossier list, page 1 of {sent} dossiers sent (50 per page)"),
            (f"page_dossier_{per}", "vanphong", f"/ho-so/{submitted}",
             f"a submitted {per}-nominee dossier built through the operations "
             f"({events} audit events in its timeline)"),
            ("page_campaign", "vanphong", f"/dot-thi-dua/{campaign_id}",
             f"yearly campaign page, {units}+ units, most with a dossier"),
            ("page_home_unit_head", "truongphong.qlcn", "/", "unit head's home, its task list"),
            ("page_intake", "vanphong", f"/tiep-nhan/{campaign_id}",
             f"the Văn phòng's intake page: {units}+ units, checks over every nominee in play"),
            ("page_list", "vanphong", f"/tiep-nhan/{campaign_id}/danh-sach",
             "the consolidated list, page 1 of 50 rows; checks computed over the whole list"),
        ]
        for name, username, url, note in pages:
            if wanted(name):
                page(app, name, username, url, requests, warmups, note)
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
