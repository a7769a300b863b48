"""Start-up imports only what the first request needs (issue 17: a first request within 1 s).

openpyxl, reportlab, python-docx and Alembic cost about a second of CPU together; they are
imported by the code that makes a workbook or a document, or runs `flask db`. Not a timed
test: it checks which modules a fresh interpreter holds after `create_app()` and a first
page (bench/startup.py measures the time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask_migrate import upgrade

from dossier import create_app
from dossier.extensions import db

# One backend is enough: both tests run on a SQLite file of their own whatever the backend
# (TEST_DATABASE_URL is not read), so the PostgreSQL run would repeat them exactly.
pytestmark = pytest.mark.one_backend("neutral")

ROOT = Path(__file__).resolve().parent.parent
# PyICU (collation) and cryptography (ballots, audit anchor, signatures): on first use too.
LAZY = (
    "openpyxl",
    "reportlab",
    "docx",
    "alembic",
    "flask_migrate",
    "mako",
    "cairosvg",
    "icu",
    "cryptography",
)

PROBE = """
import json, sys
from dossier import create_app
app = create_app()
status = app.test_client().get("/dang-nhap").status_code
print(json.dumps({"status": status, "loaded": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def test_first_page_loads_no_document_or_migration_library(tmp_path):
    env = {
        **os.environ,
        "SECRET_KEY": "x",
        "SESSION_COOKIE_SECURE": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'start.db'}",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    }
    env.pop("TEST_DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    probe = json.loads(out.strip().splitlines()[-1])
    assert probe["status"] == 200
    assert sorted(set(LAZY) & set(probe["loaded"])) == []


def test_flask_migrate_still_works_through_the_lazy_stand_in(tmp_path):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}",
            "SECRET_KEY": "x",
            "TESTING": True,
        }
    )
    config = app.extensions["migrate"]
    assert config.db is db and config.configure_args["compare_type"] is True
    assert "db" in app.cli.list_commands(None)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "heads"])
    assert result.exit_code == 0, result.output
