"""Command-line entry points: `flask --app wsgi demo`, `audit verify`, `init-db`."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

from .extensions import db


def register(app: Flask) -> None:
    from .demo import demo_command

    app.cli.add_command(demo_command)
    audit_cli = AppGroup("audit", help="Nhật ký thao tác.")

    @audit_cli.command("verify")
    def audit_verify():
        """Recompute the hash chain and name the first broken link."""
        from .audit import verify

        count, broken, explanation = verify()
        if broken is None:
            click.echo(f"OK: {count} sự kiện, {explanation}.")
            return
        click.echo(f"HỎNG tại sự kiện số {broken}: {explanation}.", err=True)
        sys.exit(1)

    app.cli.add_command(audit_cli)

    @app.cli.command("init-db")
    def init_db():
        """Create every table without Alembic (tests and quick trials only)."""
        db.create_all()
        click.echo("Đã tạo cơ sở dữ liệu.")
