"""`flask --app wsgi demo`: a realistic department to try every step of the process."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from . import audit
from .demo_org import DEMO_PASSWORD, build_accounts, build_delegations, build_org
from .extensions import db


def _steps():
    """Each later step of the process adds its demo builder here, in process order."""
    # The demo's builders: loaded only when the demo is built.
    from .council.demo import build_council
    from .decisions.demo import build_decisions
    from .demo_dossiers import build_dossiers
    from .history.demo import build_history

    return [build_dossiers, build_history, build_council, build_decisions]


def load_demo(*, units: int | None = None, nominees_per_unit: int | None = None) -> list:
    people = build_org()
    logins = build_accounts(people)
    notes = build_delegations()
    for step in _steps():
        notes.extend(step(people=people, extra_units=units, nominees_per_unit=nominees_per_unit))
    audit.record(
        actor=None,
        action="demo_loaded",
        object_type="system",
        data={"units": units, "nominees_per_unit": nominees_per_unit},
    )
    return logins, notes


@click.command("demo")
@click.option(
    "--units", type=int, default=None, help="Thêm đơn vị giả lập để đo hiệu năng (ví dụ 40)."
)
@click.option(
    "--nominees-per-unit",
    type=int,
    default=None,
    help="Số người được đề nghị mỗi đơn vị trong hồ sơ giả lập.",
)
@with_appcontext
def demo_command(units, nominees_per_unit):
    """Nạp dữ liệu mẫu (chạy lại nhiều lần không tạo trùng)."""
    logins, notes = load_demo(units=units, nominees_per_unit=nominees_per_unit)
    db.session.commit()
    from .audit_anchor import anchor

    anchor(reason="manual")  # the audit page and `audit verify` start with a checkpoint
    db.session.commit()
    click.echo(f"Đã nạp dữ liệu mẫu. Tài khoản (mật khẩu chung: {DEMO_PASSWORD}):")
    width = max(len(login) for login, _ in logins)
    for login, description in logins:
        click.echo(f"  {login.ljust(width)}  {description}")
    for note in notes:
        click.echo(note)
