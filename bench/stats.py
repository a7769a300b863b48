#!/usr/bin/env python
"""Issue 18 at province size: the Thống kê dashboard and the yearly statistics report.

400 units × 50 people, 10 years of history (one award a person a year, one collective award
a unit a year: 204,000 award records), and this year's campaign with 400 submitted dossiers
of 50 nominees (20,000 rows checked by the intake rules). Seeded; inserted with bulk INSERTs.
Prints one JSON object per line, like bench/run.py. BENCH_DATABASE_URL picks PostgreSQL
(its tables are dropped first); default a temporary SQLite file.

    BENCH_DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/stats.py
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, insert, select  # noqa: E402

from dossier import create_app  # noqa: E402
from dossier.campaigns.catalogue import ensure_default_forms  # noqa: E402
from dossier.campaigns.models import Campaign  # noqa: E402
from dossier.demo_org import _people  # noqa: E402
from dossier.enums import CampaignKind, NomineeStatus, Role, UnitKind  # noqa: E402
from dossier.extensions import db  # noqa: E402
from dossier.history import tally  # noqa: E402
from dossier.history.models import AwardRecord  # noqa: E402
from dossier.nominations.models import Dossier, Nominee  # noqa: E402
from dossier.org.models import RoleAssignment, Staff, Unit, User  # noqa: E402
from dossier.states import DossierState  # noqa: E402
from dossier.stats import queries, report  # noqa: E402
from dossier.text import fold, name_sort_key  # noqa: E402
from dossier.timeutil import cutoff_before, local_now, now  # noqa: E402

SEED = 20261202
REBUILD: list[float] = []
UNITS, PEOPLE, YEARS = 400, 50, 10


def emit(name: str, values: list[float], note: str) -> None:
    values = sorted(values)
    p95 = values[min(len(values) - 1, math.ceil(0.95 * len(values)) - 1)]
    for stat, value in (("median", statistics.median(values)), ("p95", p95)):
        print(
            json.dumps(
                {
                    "name": name,
                    "value": round(value, 4),
                    "unit": "s",
                    "n": len(values),
                    "stat": stat,
                    "note": note,
                },
                ensure_ascii=False,
            ),
            flush=True,
        )


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        db.session.expire_all()
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
        db.session.rollback()
    return out


def build() -> Campaign:
    rng = random.Random(SEED)
    forms = {f.code: f for f in ensure_default_forms()}
    year = local_now().year
    db.session.execute(
        insert(Unit),
        [
            {"code": f"U{k}", "name": f"Đơn vị {k}", "kind": UnitKind.DIVISION, "sort_order": k}
            for k in range(UNITS)
        ],
    )
    units = db.session.scalars(select(Unit.id).order_by(Unit.id)).all()
    staff_rows = []
    for uid in units:
        for name, gender in _people(rng, PEOPLE):
            staff_rows.append(
                {
                    "unit_id": uid,
                    "full_name": name,
                    "sort_key": name_sort_key(name),
                    "position": "Chuyên viên",
                    "gender": gender,
                    "direct_worker": rng.random() < 0.4,
                    "active": True,
                }
            )
    db.session.execute(insert(Staff), staff_rows)
    people = db.session.execute(select(Staff.id, Staff.unit_id, Staff.full_name)).all()
    codes = [("LDTT", 0.8), ("CSTDCS", 0.12), ("GK", 0.08)]
    records = []
    for y in range(year - YEARS, year):
        for sid, uid, name in people:
            code = rng.choices([c for c, _ in codes], [w for _, w in codes])[0]
            records.append(
                {
                    "year": y,
                    "kind": "individual",
                    "staff_id": sid,
                    "unit_id": uid,
                    "name": name,
                    "name_folded": fold(name),
                    "award_code": code,
                    "award_name": forms[code].name if code in forms else code,
                    "counts_as_basis": True,
                    "source": "import",
                }
            )
        for uid in units:
            records.append(
                {
                    "year": y,
                    "kind": "collective",
                    "unit_id": uid,
                    "name": f"Đơn vị {uid}",
                    "name_folded": fold(f"Đơn vị {uid}"),
                    "award_code": "TTLDTT",
                    "award_name": "Tập thể lao động tiên tiến",
                    "counts_as_basis": True,
                    "source": "import",
                }
            )
    for i in range(0, len(records), 20000):
        db.session.execute(insert(AwardRecord), records[i : i + 20000])
    # Bulk INSERTs pass no flush: count the tally once, as the migration does.
    start = time.perf_counter()
    tally.rebuild()
    REBUILD.append(time.perf_counter() - start)
    campaign = Campaign(
        name=f"Khen thưởng năm {year}",
        year=year,
        kind=CampaignKind.YEARLY,
        cutoff_at=cutoff_before(local_now().date().replace(month=12, day=20)),
    )
    campaign.award_forms = list(forms.values())
    db.session.add(campaign)
    db.session.flush()
    db.session.execute(
        insert(Dossier),
        [
            {
                "campaign_id": campaign.id,
                "unit_id": uid,
                "seq": 1,
                "state": DossierState.SUBMITTED,
                "version": 1,
                "revision": 1,
                "submitted_at": now(),
            }
            for uid in units
        ],
    )
    dossier_of = dict(db.session.execute(select(Dossier.unit_id, Dossier.id)).all())
    nominees = [
        {
            "dossier_id": dossier_of[uid],
            "kind": "individual",
            "staff_id": sid,
            "name": name,
            "name_folded": fold(name),
            "sort_key": name_sort_key(name),
            "position": "Chuyên viên",
            "award_form_id": forms["LDTT"].id,
            "status": NomineeStatus.PROPOSED,
            "votes_for": 9,
            "votes_against": 0,
        }
        for sid, uid, name in people
    ]
    db.session.execute(insert(Nominee), nominees)
    office = User(username="vp")
    office.set_password("bench-pass-1")
    db.session.add(office)
    db.session.flush()
    db.session.add(RoleAssignment(user_id=office.id, role=Role.OFFICE))
    db.session.commit()
    return campaign


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL")
    tmp = Path(tempfile.mkdtemp())
    config = {
        "SECRET_KEY": "bench",
        "SESSION_COOKIE_SECURE": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp / 'bench.db'}"
    app = create_app(config)
    backend = "postgresql" if url else "sqlite"
    with app.app_context():
        reuse = os.environ.get("BENCH_REUSE") == "1" and url
        if reuse:  # the tables of the last run (same seed): skip the two-minute build
            campaign = db.session.scalars(select(Campaign)).one()
        else:
            if url:
                db.drop_all()
            db.create_all()
        start = time.perf_counter()
        if not reuse:
            campaign = build()
        print(
            json.dumps(
                {
                    "name": "stats_build",
                    "value": round(time.perf_counter() - start, 1),
                    "unit": "s",
                    "n": 1,
                    "stat": "once",
                    "note": backend,
                }
            ),
            flush=True,
        )
        if REBUILD:
            emit("stats_tally_rebuild", REBUILD, f"{backend}: the award tally counted from scratch")
        cells = db.session.scalar(select(func.count()).select_from(tally.AwardTally))
        print(json.dumps({"name": "stats_tally_cells", "value": cells, "unit": "rows"}), flush=True)
        campaign_id = campaign.id
        everything = queries.Filters()

        def charts():
            for name in ("form", "unit", "year", "gender", "worker"):
                queries.awards_by(name, everything)

        emit(
            "stats_award_charts_5",
            timed(charts, 10),
            f"{backend}: the five award charts' queries over 204,000 records",
        )
        emit(
            "stats_campaign_progress",
            timed(lambda: queries.progress(db.session.get(Campaign, campaign_id)), 5),
            f"{backend}: 400 units' progress and the intake checks over 20,000 nominees",
        )
        year = local_now().year - 1
        emit(
            "stats_yearly_report_xlsx",
            timed(lambda: report.to_xlsx(report.build(year), "Sở"), 10),
            f"{backend}: build + XLSX",
        )
        emit(
            "stats_yearly_report_pdf",
            timed(lambda: report.to_pdf(report.build(year), "Sở"), 10),
            f"{backend}: build + PDF",
        )
    client = app.test_client()
    page = client.get("/dang-nhap").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[-1].split('"')[0]
    if "csrf_token" in page and 'value="' in page:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post(
        "/dang-nhap", data={"csrf_token": token, "username": "vp", "password": "bench-pass-1"}
    )

    def dashboard():
        resp = client.get("/thong-ke/")
        assert resp.status_code == 200, resp.status_code
        return resp

    def dashboard_with_images():
        """What a browser loads: the page, then each image that is not drawn into it."""
        html = dashboard().get_data(as_text=True)
        for src in re.findall(r'<img class="img-fluid" src="([^"]+)"', html):
            if not src.startswith("data:"):
                assert client.get(src.replace("&amp;", "&")).status_code == 200, src

    with app.app_context():
        statements = []

        def counted(*_):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", counted)
        dashboard()
        event.remove(db.engine, "before_cursor_execute", counted)
        print(
            json.dumps(
                {"name": "stats_dashboard_page_statements", "value": len(statements), "unit": "n"}
            ),
            flush=True,
        )
        emit(
            "stats_dashboard_page",
            timed(dashboard, 5),
            f"{backend}: GET /thong-ke/ as the Văn phòng (7 charts' numbers, HTML)",
        )
        emit(
            "stats_dashboard_page_with_images",
            timed(dashboard_with_images, 3),
            f"{backend}: GET /thong-ke/ and the chart images it links (what a browser loads)",
        )
        emit(
            "stats_dashboard_page_one_svg",
            timed(lambda: client.get("/thong-ke/bieu-do/unit.svg"), 5),
            f"{backend}: one chart's SVG (the unit chart, 400 bars)",
        )
        emit(
            "stats_dashboard_page_one_png",
            timed(lambda: client.get("/thong-ke/bieu-do/unit.png"), 5),
            f"{backend}: the same chart as PNG (CairoSVG, scale 2)",
        )


if __name__ == "__main__":
    main()
