"""`flask db upgrade` builds the same schema as the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from dossier import create_app
from dossier.db import made_on
from dossier.extensions import db


@pytest.fixture
def empty_db_url(tmp_path):
    pg = os.environ.get("TEST_DATABASE_URL")
    if not pg:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    # A separate PostgreSQL schema, so the other tests' tables are untouched.
    engine = create_engine(pg)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
        conn.execute(text("CREATE SCHEMA migration_check"))
    sep = "&" if "?" in pg else "?"
    yield f"{pg}{sep}options=-csearch_path%3Dmigration_check"
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
    engine.dispose()


def test_upgrade_builds_schema_matching_models(empty_db_url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_db_url, "SECRET_KEY": "x", "TESTING": True})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            opts = {"include_object": made_on(conn.dialect.name)}
            diff = compare_metadata(MigrationContext.configure(conn, opts=opts), db.metadata)
            head = conn.execute(text("SELECT seq FROM audit_head WHERE id = 1")).scalar()
        db.engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"
    assert head == 0
