"""The production server: gunicorn as scripts/serve.sh starts it, and the reverse-proxy setting."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from flask import request

from dossier import create_app

# One backend is enough: the served app runs on its own SQLite file whatever the backend.
pytestmark = pytest.mark.one_backend("neutral")

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    try:
        return urllib.request.urlopen(url, timeout=5)
    except urllib.error.HTTPError as err:
        return err


def test_serve_script_runs_gunicorn_without_a_version_banner(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
        "SECRET_KEY": "test-server-secret",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "GUNICORN": str(Path(sys.executable).parent / "gunicorn"),
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    }
    migrate = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            ["bash", "scripts/serve.sh"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with its workers below
        )
    try:
        deadline, resp = time.monotonic() + 120, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                resp = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                time.sleep(0.3)
        assert resp is not None, log.read_text()
        with resp:
            assert resp.status == 200 and b'"status":"ok"' in resp.read().replace(b" ", b"")
            banner = resp.headers.get("Server", "")
        assert banner == "gunicorn", banner  # no version, no Werkzeug, no Python
        with _get(f"http://127.0.0.1:{port}/dang-nhap") as page:
            assert page.status == 200 and page.headers.get("Server") == "gunicorn"
        with _get(f"http://127.0.0.1:{port}/khong-co") as missing:
            assert missing.status == 404 and missing.headers.get("Server") == "gunicorn"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    output = log.read_text()
    assert "Werkzeug" not in output and "development server" not in output
    assert f"Listening at: http://127.0.0.1:{port}" in output
    assert '"GET /healthz HTTP/1.1" 200' in output  # the access log, on stdout


def test_run_command_is_not_the_development_server():
    run = (ROOT / "scripts" / "run.sh").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "scripts/serve.sh" in run and "wsgi run" not in run and "flask run" not in run
    assert "wsgi run" not in readme and "flask run" not in readme


def _peer_app(tmp_path, monkeypatch, **env):
    for name in ("FOR", "PROTO", "HOST", "PORT", "PREFIX"):
        monkeypatch.delenv(f"PROXY_FIX_X_{name}", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'proxy.db'}",
        }
    )
    app.add_url_rule("/_peer", "peer", lambda: f"{request.remote_addr} {request.url_root}")
    return app.test_client()


FORWARDED = {
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "tdkt.skhcn.gov.vn",
}


def test_proxy_headers_are_ignored_unless_configured(tmp_path, monkeypatch):
    client = _peer_app(tmp_path, monkeypatch)
    body = client.get("/_peer", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert body.get_data(as_text=True) == "10.0.0.5 http://localhost/"


def test_proxy_fix_trusts_one_proxy_when_set(tmp_path, monkeypatch):
    client = _peer_app(
        tmp_path, monkeypatch, PROXY_FIX_X_FOR="1", PROXY_FIX_X_PROTO="1", PROXY_FIX_X_HOST="1"
    )
    headers = {**FORWARDED, "X-Forwarded-For": "198.51.100.9, 203.0.113.7"}  # a forged hop
    body = client.get("/_peer", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert body.get_data(as_text=True) == "203.0.113.7 https://tdkt.skhcn.gov.vn/"
