#!/usr/bin/env python
"""The list pages at province size on PostgreSQL (issue 17): p95 per page, statements, plans.

    BENCH_DATABASE_URL=postgresql://… .venv/bin/python bench/province.py --build   # DROPS tables
    BENCH_DATABASE_URL=postgresql://… .venv/bin/python bench/province.py           # reuse
    BENCH_DATABASE_URL=postgresql://… .venv/bin/python bench/province.py --explain /lich-su/

`--build` drops every table, creates them, loads the demo at `--units` × `--nominees-per-unit`
(400 × 50) and tops the award history up to `--history` records (400,000), then ANALYZEs.
Without it the data already there is used (built by an earlier `--build`), so runs before
and after a change read the same rows. Each page is requested by the Flask test client as
`vanphong` (the Văn phòng, who sees everything): 3 warm-up requests, then `--requests`
timed ones, each in its own app context (server time: routing, access, queries, template;
no network). Prints one JSON object per line like bench/run.py: median and p95 (nearest
rank) in ms, SQL statements per request. `--explain URL` prints instead each statement that
one request of URL sends with its EXPLAIN (ANALYZE, BUFFERS) plan, slowest first.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select, text  # noqa: E402

from bench.run import emit, p95, signed_in  # noqa: E402
from dossier import create_app  # noqa: E402
from dossier.demo import load_demo  # noqa: E402
from dossier.extensions import db  # noqa: E402
from dossier.history.models import AwardRecord  # noqa: E402
from dossier.nominations.models import Nominee  # noqa: E402
from dossier.org.models import Unit  # noqa: E402

PAGES = [
    ("province_dossier_list", "/ho-so/", "office list, page 1 of the dossiers sent"),
    ("province_home_office", "/", "the Văn phòng's to-do list"),
    ("province_history", "/lich-su/", "award history, page 1, newest year first"),
    ("province_history_last", "/lich-su/?page=8000", "award history, the last page"),
    ("province_history_search", "/lich-su/?q=nguyen+van", "award history, a name search"),
    ("province_history_unit", "/lich-su/?don_vi=100", "award history of one unit"),
    ("province_decisions", "/quyet-dinh/", "decisions, with the counts ready to decide"),
    # {campaign}: the yearly campaign. Warm: the checks' findings kept under the content
    # version (the first view after a write pays the whole check: province_check_cold).
    ("province_intake", "/tiep-nhan/{campaign}", "intake, findings kept (warm)"),
    ("province_list", "/tiep-nhan/{campaign}/danh-sach", "consolidated list, page 1 (warm)"),
]


class Statements:
    """Every statement sent (BEGIN excluded), with its parameters, while `on` is set."""

    on = False
    sent: list[tuple[str, object]] = []
    count = 0

    @classmethod
    def before(cls, conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("BEGIN"):
            return
        cls.count += 1
        if cls.on:
            cls.sent.append((statement, parameters))


def make_app(tmp: str):
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        raise SystemExit("BENCH_DATABASE_URL=postgresql://… is required (its tables are used)")
    os.environ["DATABASE_URL"] = url  # normalised by dossier.config.database_url
    app = create_app(
        {
            "SECRET_KEY": "bench-secret",
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "UPLOAD_FOLDER": f"{tmp}/uploads",
        }
    )
    # As wsgi.py does after building the app for the server: what start-up built stays out
    # of the collector's passes (without it, each full pass here walked ~170,000 objects).
    gc.freeze()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", Statements.before)
    return app


def build(units: int, per: int, history: int) -> None:
    from dossier.history.demo import bulk_history

    t0 = time.perf_counter()
    db.drop_all()
    db.create_all()
    load_demo(units=units, nominees_per_unit=per)
    db.session.commit()
    have = db.session.scalar(select(func.count()).select_from(AwardRecord))
    if history > have:
        bulk_history(history - have)
        db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    emit("province_build", time.perf_counter() - t0, "s", 1, "median", "demo + history, untimed")


def sizes() -> str:
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    return f"{count(Unit)} units, {count(Nominee)} nominees, {count(AwardRecord)} history records"


def measure(app, name: str, url: str, requests: int, note: str) -> None:
    client = signed_in(app, "vanphong")
    times, counts = [], []
    for i in range(3 + requests):
        q0, t0 = Statements.count, time.perf_counter()
        resp = client.get(url)
        elapsed, sent = time.perf_counter() - t0, Statements.count - q0
        if resp.status_code != 200:
            raise SystemExit(f"{name}: GET {url} -> HTTP {resp.status_code}")
        if i >= 3:
            times.append(elapsed * 1000)
            counts.append(sent)
    note = f"GET {url} as vanphong: {note}; test client, server time only"
    emit(name, statistics.median(times), "ms", len(times), "median", note)
    emit(name, p95(times), "ms", len(times), "p95", note)
    emit(f"{name}_queries", statistics.median(counts), "queries", len(counts), "median", note)


def yearly_campaign() -> int:
    from dossier.campaigns.models import Campaign
    from dossier.enums import CampaignKind

    return db.session.scalar(
        select(Campaign.id).where(Campaign.kind == CampaignKind.YEARLY).order_by(Campaign.id)
    )


def cold_check(app, campaign_id: int, runs: int = 3) -> None:
    """What the first intake view after a write pays: rules.check over the whole campaign,
    its objects read afresh each run."""
    from dossier.campaigns.models import Campaign
    from dossier.intake import rules

    times = []
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        for _ in range(runs):
            db.session.expire_all()
            t0 = time.perf_counter()
            checked = rules.check(campaign)
            times.append(time.perf_counter() - t0)
        db.session.remove()
    note = f"rules.check over {len(checked.facts)} rows, {len(checked.found)} findings"
    emit("province_check_cold", statistics.median(times), "s", runs, "median", note)


def explain(app, url: str) -> None:
    client = signed_in(app, "vanphong")
    client.get(url)  # warm
    Statements.sent, Statements.on = [], True
    resp = client.get(url)
    Statements.on = False
    print(f"GET {url}: HTTP {resp.status_code}, {len(Statements.sent)} statements\n")
    plans = []
    with app.app_context():
        conn = db.session.connection()
        for statement, params in Statements.sent:
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor = conn.connection.driver_connection.cursor()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
            lines = [row[0] for row in cursor.fetchall()]
            ms = float(lines[-1].split(":")[1].split()[0])  # "Execution Time: 1.234 ms"
            plans.append((ms, statement, lines))
        db.session.rollback()
    for ms, statement, lines in sorted(plans, key=lambda p: -p[0]):
        print(f"--- {ms:.1f} ms\n{statement}\n" + "\n".join(lines) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", action="store_true", help="drop, create and load (slow)")
    ap.add_argument("--units", type=int, default=400)
    ap.add_argument("--nominees-per-unit", type=int, default=50)
    ap.add_argument("--history", type=int, default=400_000)
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--only", action="append", default=[], help="pages whose name starts so")
    ap.add_argument("--explain", metavar="URL", help="EXPLAIN ANALYZE one request's statements")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-province-") as tmp:
        app = make_app(tmp)
        with app.app_context():
            if args.build:
                build(args.units, args.nominees_per_unit, args.history)
            print(f"# {sizes()}; load: {os.getloadavg()}", flush=True)
            db.session.remove()
        with app.app_context():
            campaign = yearly_campaign()
        if args.explain:
            explain(app, args.explain.format(campaign=campaign))
        else:
            for name, url, note in PAGES:
                if not args.only or any(name.startswith(o) for o in args.only):
                    measure(app, name, url.format(campaign=campaign), args.requests, note)
            if not args.only or any("province_check_cold".startswith(o) for o in args.only):
                cold_check(app, campaign)
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
