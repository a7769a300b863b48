"""Command-line entry points: `flask --app wsgi demo`, `audit verify|anchor`, `init-db`."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

from .extensions import db
from .states import DECISION_ISSUED


def _sealed(verdict) -> str:
    if verdict.latest is None:
        return "chưa có mốc niêm phong"
    cp = verdict.latest
    return (
        f"{verdict.checkpoints} mốc niêm phong khớp, mới nhất {cp.label} (đến sự kiện số {cp.seq})"
    )


def register(app: Flask) -> None:
    from .demo import demo_command

    app.cli.add_command(demo_command)
    audit_cli = AppGroup("audit", help="Nhật ký thao tác.")

    @audit_cli.command("verify")
    def audit_verify():
        """Recompute the hash chain, check every sealed checkpoint, name what is broken."""
        from .audit_anchor import check

        verdict = check()
        for warning in verdict.warnings:
            click.echo(f"CẢNH BÁO: {warning}.", err=True)
        if verdict.ok:
            click.echo(f"OK: {verdict.events} sự kiện, chuỗi nhật ký toàn vẹn; {_sealed(verdict)}.")
            return
        for problem in verdict.problems:
            click.echo(
                f"HỎNG {problem}." if problem.startswith("tại ") else f"HỎNG: {problem}.", err=True
            )
        sys.exit(1)

    @audit_cli.command("anchor")
    @click.option(
        "--reason", type=click.Choice(["daily", "manual"]), default="daily", show_default=True
    )
    def audit_anchor_command(reason):
        """Seal the chain's head with a checkpoint (run daily by a timer); refuses, exit 1,
        if the chain or a checkpoint is already broken."""
        from .audit_anchor import anchor, check

        verdict = check()
        if not verdict.ok:
            for problem in verdict.problems:
                click.echo(f"HỎNG: {problem}.", err=True)
            click.echo("Không niêm phong một chuỗi đã hỏng.", err=True)
            sys.exit(1)
        cp = anchor(reason=reason)
        db.session.commit()
        # This line, kept by the journal or cron's mail, is a record outside the database.
        click.echo(
            f"Đã niêm phong nhật ký: mốc {cp.label}, đến sự kiện số {cp.seq}, "
            f"hash {cp.head_hash}, HMAC {cp.mac}."
        )

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
                .where(Decision.state.in_(DECISION_ISSUED))
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
