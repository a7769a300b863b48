"""The workflow guards named in workflows/decision.py."""

from __future__ import annotations

from sqlalchemy import select

from ..enums import Role
from ..errors import DomainError
from ..extensions import db
from ..org.delegation import substitutes_for
from ..org.models import RoleAssignment
from ..timeutil import local_now
from ..workflow import Context, guard
from .models import Decision


@guard("has_awards", "có người được khen thưởng")
def has_awards(decision: Decision, ctx: Context) -> None:
    if not decision.awards:
        raise DomainError("Quyết định không có ai được khen thưởng.")


@guard("has_signer", "đã có người ký")
def has_signer(decision: Decision, ctx: Context) -> None:
    if decision.signer_id is None or not decision.signer_lines_json:
        raise DomainError("Quyết định chưa được ký: Giám đốc ký trước, Văn thư cấp số sau.")


def signers() -> list:
    """Who is asked to sign: every active holder of the Director's role this year."""
    year = local_now().year
    rows = db.session.scalars(
        select(RoleAssignment).where(
            RoleAssignment.role == Role.DIRECTOR.value,
            RoleAssignment.year.is_(None) | (RoleAssignment.year == year),
        )
    )
    return [r.user for r in rows if r.user.active]


@guard("signer_reachable", "người ký có địa chỉ thư điện tử")
def signer_reachable(decision: Decision, ctx: Context) -> None:
    """The request to sign goes by e-mail: someone who may sign (or stands in) has an address."""
    people = signers()
    people += [substitute for substitute, _ in substitutes_for(people)]
    if not any((u.email or "").strip() for u in people):
        raise DomainError("Không có người ký nào có địa chỉ thư điện tử để gửi.")
