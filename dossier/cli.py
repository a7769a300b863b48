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
    decision_cli = AppGroup("decision", help="Quyết định khen thưởng.")

    @decision_cli.command("export")
    @click.argument("ident")
    @click.option("--format", "fmt", type=click.Choice(["pdf", "docx"]), default="pdf")
    @click.option("-o", "--output", type=click.Path(dir_okay=False), required=True)
    def decision_export(ident, fmt, output):
        """Write decision IDENT (an id, or "latest" issued) as PDF or DOCX."""
        from sqlalchemy import select

        from .decisions.export import export
        from .decisions.models import Decision

        if ident == "latest":
            decision = db.session.scalar(
                select(Decision)
                .where(Decision.state == "issued")
                .order_by(Decision.issued_at.desc())
                .limit(1)
            )
        else:
            decision = db.session.get(Decision, int(ident)) if ident.isdigit() else None
        if decision is None:
            click.echo(f"Không tìm thấy quyết định «{ident}».", err=True)
            sys.exit(1)
        body, _, name = export(decision, fmt)
        with open(output, "wb") as fh:
            fh.write(body)
        click.echo(f"Đã ghi {name} ({len(body)} byte) vào {output}.")

    app.cli.add_command(decision_cli)

    from .notify import mail, reminders

    mail.register_cli(app)  # flask --app wsgi mail worker / mail send
    reminders.register_cli(app)  # flask --app wsgi reminders send (cron / systemd timer)

    @app.cli.command("init-db")
    def init_db():
        """Create every table without Alembic (tests and quick trials only)."""
        db.create_all()
        click.echo("Đã tạo cơ sở dữ liệu.")
