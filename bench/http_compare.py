"""The app's list pages beside a bare Flask page, over HTTP, in one run (issue 17).

    bash scripts/system-deps.sh bench      # wrk (Debian package), as root
    .venv/bin/python bench/http_compare.py [--duration 10] [--units 40] [--nominees-per-unit 50]
    BENCH_DATABASE_URL=postgresql://... .venv/bin/python bench/http_compare.py   # DROPS its tables

Builds the demo at 40 units × 50 nominees with 100,000 history records (SQLite in a
temporary directory, or BENCH_DATABASE_URL), then serves it with gunicorn (the app's own
gunicorn.conf.py: 2 preloaded gthread workers × 4 threads) and, one after the other, a bare
Flask + Flask-SQLAlchemy app (bench/bare_app.py: a paginated 50-row Jinja table over 10,000
rows) with the same worker settings, both servers up at once, both with --reuse-port (see
REUSE_PORT). wrk (-t2 -c8, `--duration` seconds after a 2 s warm-up) loads the bare page
and then the app's page, signed in as the Văn phòng (`vanphong`), `--runs` such pairs per
page on fresh connections; a page's ratio is the median pair's (see paired). Each run's
spread of connections over the workers is read with `ss` and printed. Prints one JSON
object per line (req/s, p50, p95 per page; the ratio of each page's req/s to the bare
page's) and a Markdown table. Server and load generator share the machine's cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.executable).parent
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
WORKERS = ["-w", "2", "-k", "gthread", "--threads", "4"]
# gunicorn's workers share one listening socket and take connections as they wake: wrk's 8
# keep-alive connections, opened at once, often all went to one worker (seen with `ss`: 8/0
# in a third of the runs, and the run measured one core: 110 req/s instead of 230). With
# --reuse-port each worker listens on its own socket and the kernel spreads connections over
# them by address hash: both workers get some in all but ~1 % of runs. Both servers alike.
# Behind nginx (a new upstream connection per request) the production server spreads anyway.
REUSE_PORT = ["--reuse-port"]


def emit(name, value, unit, note) -> None:
    row = {"name": name, "value": round(value, 3), "unit": unit, "note": note}
    print(json.dumps(row, ensure_ascii=False), flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(env: dict, units: int, per: int, history: int) -> int:
    """The demo in the database the servers will use; returns the yearly campaign's id."""
    code = f"""
import os, sys
sys.path.insert(0, {str(ROOT)!r})
from sqlalchemy import select
from dossier import create_app
from dossier.campaigns.models import Campaign
from dossier.demo import load_demo
from dossier.enums import CampaignKind
from dossier.extensions import db
app = create_app()
with app.app_context():
    if {bool(os.environ.get("BENCH_DATABASE_URL"))!r}:
        db.drop_all()
    db.create_all()
    load_demo(units={units}, nominees_per_unit={per})
    db.session.commit()
    try:
        from dossier.history.demo import bulk_history
        bulk_history({history})
        db.session.commit()
    except ImportError:
        pass
    print(db.session.scalar(select(Campaign.id).where(Campaign.kind == CampaignKind.YEARLY)
                            .order_by(Campaign.id)))
"""
    out = subprocess.run(
        [VENV / "python", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return int(out.stdout.split()[-1])


class Server:
    def __init__(self, cmd: list[str], env: dict, ready_path: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        cmd = [c.replace("{port}", str(self.port)) for c in cmd]
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + ready_path, timeout=10) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise SystemExit(f"{cmd} did not answer")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# The same User-Agent for the sign-in and for wrk, as one browser sends: Flask-Login ties a
# session to its address and agent, and marks one seen from another agent as not fresh, a
# change of the session written back in a Set-Cookie on every request (with wrk's own
# agent, each app page paid that: ~7 % of a worker's time, measured with py-spy).
AGENT = "dossier-bench/1"


def session_cookie(base: str, username: str, password: str) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", AGENT)]
    page = opener.open(base + "/dang-nhap").read().decode()
    data = {"csrf_token": CSRF_RE.search(page).group(1), "username": username}
    data["password"] = password
    opener.open(base + "/dang-nhap", urllib.parse.urlencode(data).encode()).read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session" not in cookie:
        raise SystemExit("sign-in failed")
    return cookie


def spread(port: int) -> str:
    """How the established connections to `port` sit over the server's workers, e.g. "5/3"
    or "8/0" (`ss`, iproute2; "?" where it is missing). With --reuse-port each worker has
    its own listening socket, so a worker holding none still counts."""
    if not shutil.which("ss"):
        return "?"

    def pids(*args: str) -> list[str]:
        out = subprocess.run(
            ["ss", "-Hnp", *args, f"sport = :{port}"], capture_output=True, text=True
        ).stdout
        return re.findall(r"pid=(\d+)", out)

    counts = Counter({pid: 0 for pid in pids("-tl")})
    counts.update(pids("-t", "state", "established"))
    return "/".join(str(n) for n in sorted(counts.values(), reverse=True)) or "0"


def wrk(url: str, duration: int, cookie: str | None, port: int) -> dict:
    args = [
        "wrk",
        "-t2",
        "-c8",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(ROOT / "bench" / "wrk_report.lua"),
        "-H",
        f"User-Agent: {AGENT}",
    ]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    subprocess.run([*args, "-d2s", url], check=True, capture_output=True)  # warm-up
    run = subprocess.Popen(
        [*args, f"-d{duration}s", url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(min(1.0, duration / 2))  # the connections are open by then
    seen = spread(port)
    out, err = run.communicate()
    if run.returncode:
        raise SystemExit(f"wrk failed: {err}")
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    return {**json.loads(line[4:]), "spread": seen}


def paired(runs: int, page: str, bare: str, duration: int, cookie: str) -> dict:
    """`runs` pairs of wrk runs, the bare page and the app's page (in turn the one or the
    other first), each on fresh connections: each pair's ratio compares two runs a few
    seconds apart, so a change of the machine's speed or of its other load during the bench
    moves both sides of a ratio (this VM's CPU speed and its neighbours' load vary from
    minute to minute). The median pair by ratio is reported (`runs` is odd), with every
    pair's figures; errors are the sum of both sides'."""
    pairs = []
    for n in range(runs):
        order = [("bare", bare, None), ("page", page, cookie)]
        done = {
            side: wrk(url, duration, jar, urllib.parse.urlsplit(url).port)
            for side, url, jar in (order if n % 2 == 0 else order[::-1])
        }
        base, mine = done["bare"], done["page"]
        if not base["rps"]:
            raise SystemExit(f"the bare page answered nothing: {base}")
        pairs.append((mine["rps"] / base["rps"], mine, base))
    pairs.sort(key=lambda p: p[0])
    ratio, mine, base = pairs[len(pairs) // 2]
    shown = [f"{m['rps']:.0f}/{b['rps']:.0f} ({m['spread']}; {b['spread']})" for _, m, b in pairs]
    errors = sum(m["errors"] + b["errors"] for _, m, b in pairs)
    return {**mine, "errors": errors, "ratio": ratio, "bare_rps": base["rps"], "pairs": shown}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument(
        "--runs", type=int, default=3, help="(bare, page) run pairs per page; the median counts"
    )
    ap.add_argument("--units", type=int, default=40)
    ap.add_argument("--nominees-per-unit", type=int, default=50)
    ap.add_argument("--history", type=int, default=100_000)
    args = ap.parse_args()
    if args.runs < 1 or args.runs % 2 == 0:
        ap.error("--runs must be odd (the median pair is reported)")
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: bash scripts/system-deps.sh bench (as root)")
    from dossier.demo_org import DEMO_PASSWORD

    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        db_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/app.db"
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "SECRET_KEY": "bench",
            "SESSION_COOKIE_SECURE": "0",
            "UPLOAD_FOLDER": f"{tmp}/uploads",
            "BARE_DATABASE_URL": f"sqlite:///{tmp}/bare.db",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_THREADS": "4",
            # One client address signs in once; no limit is near.
        }
        t0 = time.perf_counter()
        campaign = build(env, args.units, args.nominees_per_unit, args.history)
        subprocess.run([VENV / "python", "-c", "import bench.bare_app"], cwd=ROOT, env=env)
        emit("http_setup", time.perf_counter() - t0, "s", "demo + history + bare table, untimed")
        empty = Path(tmp) / "empty.conf.py"
        empty.write_text("")
        pages = {
            "/ho-so/": "office list",
            f"/tiep-nhan/{campaign}": "intake",
            f"/tiep-nhan/{campaign}/danh-sach": "consolidated list",
            "/": "to-do",
            "/lich-su/": "history",
            "/quyet-dinh/": "decisions",
        }
        results = {}
        bare = Server(
            [
                str(VENV / "gunicorn"),
                "-c",
                str(empty),
                *WORKERS,
                *REUSE_PORT,
                "-b",
                "127.0.0.1:{port}",
                "bench.bare_app:app",
            ],
            env,
            "/",
        )
        try:
            app = Server(
                [str(VENV / "gunicorn"), "--config", "gunicorn.conf.py", *REUSE_PORT, "wsgi:app"],
                env,
                "/dang-nhap",
            )
            try:
                cookie = session_cookie(app.base, "vanphong", DEMO_PASSWORD)
                for path in pages:
                    results[path] = paired(
                        args.runs, app.base + path, bare.base + "/", args.duration, cookie
                    )
            finally:
                app.stop()
        finally:
            bare.stop()
        print(
            "\n| page | req/s | p50 ms | p95 ms | bare req/s | × bare | errors (both sides) "
            "| each pair: page/bare req/s (connections per worker) |"
            "\n|---|---|---|---|---|---|---|---|"
        )
        for path, r in results.items():
            label = pages[path]
            note = (
                f"{label}; wrk -t2 -c8 -d{args.duration}s, the median of {args.runs} pairs "
                f"(page/bare req/s {r['pairs']}); {r['requests']} requests"
            )
            emit(f"http {path} rps", r["rps"], "req/s", note)
            emit(f"http {path} p50", r["p50"], "ms", note)
            emit(f"http {path} p95", r["p95"], "ms", note)
            emit(f"http {path} bare rps", r["bare_rps"], "req/s", note)
            emit(f"http {path} ratio", r["ratio"], "× bare", note)
            print(
                f"| {path} ({label}) | {r['rps']:.0f} | {r['p50']:.0f} | {r['p95']:.0f} "
                f"| {r['bare_rps']:.0f} | {r['ratio']:.2f} | {r['errors']} "
                f"| {', '.join(r['pairs'])} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
