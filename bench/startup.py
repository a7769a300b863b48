"""Time from starting the server to its first 200, the app beside bare Flask (issue 17).

    .venv/bin/python bench/startup.py [--runs 3] [--postgres URL]

For each app: `gunicorn -w 2` (the app with gunicorn.conf.py: preloaded, 2 gthread
workers; bare Flask + Flask-SQLAlchemy with plain `-w 2` and an empty config file) on a
free port, over a SQLite database prepared beforehand (migrated, or the bare table filled:
untimed); the clock runs from the process start until `GET <page>` first answers 200
(polled every 10 ms). Also `create_app()` alone in a fresh interpreter: wall and CPU time
(CPU is what load from other work on the machine does not inflate). One JSON object per
line, as bench/run.py.

With --postgres (an empty or already migrated database of its own, e.g. one created with
`createdb` on the cluster `scripts/pg-test-server.sh start` runs), the app is also started
on PostgreSQL: the driver (psycopg) and the dialect are then part of every start.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.executable).parent


def emit(name, value, unit, n, note) -> None:
    print(
        json.dumps(
            {
                "name": name,
                "value": round(value, 3),
                "unit": unit,
                "n": n,
                "stat": "median",
                "note": note,
            },
            ensure_ascii=False,
        ),
        flush=True,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_200(cmd: list[str], env: dict, url_path: str, timeout: float = 60) -> float:
    port = free_port()
    env = {**env, "HOST": "127.0.0.1", "PORT": str(port)}
    cmd = [c.replace("{port}", str(port)) for c in cmd]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while time.perf_counter() - t0 < timeout:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{url_path}", timeout=5) as r:
                    if r.status == 200:
                        return time.perf_counter() - t0
            except OSError:
                pass
            time.sleep(0.01)
        raise SystemExit(f"no 200 from {cmd} within {timeout} s")
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """SIGINT: gunicorn's quick shutdown (SIGTERM waits for the workers gracefully)."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def prepare(cmd: list, env: dict) -> None:
    """An untimed step before the runs, in the checkout (its output captured, a failure raised)."""
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)


CREATE_APP = """
import time, sys
w0, c0 = time.perf_counter(), time.process_time()
sys.path.insert(0, %r)
from dossier import create_app
app = create_app()
app.test_client().get("/dang-nhap")
print(time.perf_counter() - w0, time.process_time() - c0)
"""


BARE = """
import time, sys
w0, c0 = time.perf_counter(), time.process_time()
sys.path.insert(0, %r)
from bench.bare_app import app
app.test_client().get("/")
print(time.perf_counter() - w0, time.process_time() - c0)
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--postgres", metavar="URL", help="also start the app on this database")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-start-") as tmp:
        env = {
            **os.environ,
            "SECRET_KEY": "bench",
            "SESSION_COOKIE_SECURE": "0",
            "DATABASE_URL": f"sqlite:///{tmp}/app.db",
            "UPLOAD_FOLDER": f"{tmp}/uploads",
            "BARE_DATABASE_URL": f"sqlite:///{tmp}/bare.db",
        }
        prepare([VENV / "flask", "--app", "wsgi", "db", "upgrade"], env)
        subprocess.run(
            [VENV / "python", "-c", "import bench.bare_app"], cwd=ROOT, env=env, check=True
        )
        prepare([VENV / "python", "-m", "compileall", "-q", "dossier", "workflows", "wsgi.py"], env)
        # As scripts/setup.sh does at install: the templates compiled (read-only at run time).
        prepare([VENV / "python", "-m", "dossier.template_install"], env)
        gunicorn = str(VENV / "gunicorn")
        if args.postgres:
            pg_env = {**env, "DATABASE_URL": args.postgres}
            prepare([VENV / "flask", "--app", "wsgi", "db", "upgrade"], pg_env)
            cmd = [gunicorn, "--config", "gunicorn.conf.py", "wsgi:app"]
            times = [first_200(cmd, pg_env, "/dang-nhap") for _ in range(args.runs)]
            emit(
                "startup_app_gunicorn_postgresql",
                statistics.median(times) * 1000,
                "ms",
                args.runs,
                "as startup_app_gunicorn, on PostgreSQL",
            )
        empty = f"{tmp}/empty.conf.py"
        Path(empty).write_text("")
        runs = {
            "startup_app_gunicorn": (
                [gunicorn, "--config", "gunicorn.conf.py", "wsgi:app"],
                "/dang-nhap",
            ),
            # `-c empty`: without it gunicorn reads ./gunicorn.conf.py, the app's, whose
            # post_fork imports the whole app into each bare worker (the bare figure was the
            # app's import until 2026-12-03).
            "startup_bare_gunicorn": (
                [gunicorn, "-c", empty, "-w", "2", "-b", "127.0.0.1:{port}", "bench.bare_app:app"],
                "/",
            ),
        }
        for name, (cmd, path) in runs.items():
            times = [first_200(cmd, env, path) for _ in range(args.runs)]
            emit(
                name,
                statistics.median(times) * 1000,
                "ms",
                args.runs,
                f"process start to the first 200 of GET {path}: {' '.join(cmd[1:])}",
            )
        walls, cpus = [], []
        for _ in range(args.runs):
            out = subprocess.run(
                [VENV / "python", "-c", CREATE_APP % str(ROOT)],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            wall, cpu = map(float, out.split())
            walls.append(wall)
            cpus.append(cpu)
        note = "fresh interpreter: import + create_app() + first GET /dang-nhap (test client)"
        emit("startup_create_app", statistics.median(walls) * 1000, "ms", args.runs, note)
        emit(
            "startup_create_app_cpu",
            statistics.median(cpus) * 1000,
            "ms",
            args.runs,
            note + ", CPU time",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
