"""Decision tasks: drafts for the signer; news of issued decisions for the units awarded."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from sqlalchemy import func, select

from ..access import UNIT_ROLES
from ..extensions import db
from ..inbox import PROVIDERS, Task
from ..states import DECISION_ISSUED
from ..timeutil import now
from ..workflow import FLOWS, actions
from .models import Decision, DecisionAward


def decision_tasks(user) -> list[Task]:
    tasks = []
    flow = FLOWS["decision"]
    due = {s for row in flow.rows.values() if row.get("task") for s in row["source"]}
    for d in db.session.scalars(select(Decision).where(Decision.state.in_(due))):
        for row in actions(user, d):  # what the decision's table says is due, and for whom
            if row.get("task"):
                tasks.append(
                    Task(
                        row["task"],
                        f"{d.subject} ({len(d.awards)} tập thể, cá nhân).",
                        url_for("decisions.show", decision_id=d.id),
                        True,
                    )
                )
    units = user.unit_ids(*UNIT_ROLES)
    if units:
        recent = db.session.execute(
            select(Decision, func.count(DecisionAward.id))
            .join(DecisionAward)
            .where(
                Decision.state.in_(DECISION_ISSUED),
                Decision.issued_at >= now() - timedelta(days=30),
                DecisionAward.unit_id.in_(units),
            )
            .group_by(Decision.id)
        ).all()
        for d, n in recent:
            tasks.append(
                Task(
                    f"Quyết định số {d.number:02d} đã ban hành",
                    f"{n} tập thể, cá nhân của đơn vị được khen thưởng: {d.subject}.",
                    url_for("decisions.show", decision_id=d.id),
                )
            )
    return tasks


PROVIDERS.append(decision_tasks)
