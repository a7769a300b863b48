"""Council tasks, from the live data: open votes for members, meetings to open or close."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from ..access import Action, can
from ..extensions import db
from ..inbox import PROVIDERS, Task
from ..states import MEETING_COUNTED, MEETING_VOTING
from ..workflow import actions
from . import operations as ops
from .models import Attendance, Meeting


def council_tasks(user) -> list[Task]:
    tasks = []
    meetings = db.session.scalars(
        select(Meeting)
        .join(Attendance)
        .where(Attendance.member_id == user.id, Meeting.state.not_in(MEETING_COUNTED))
    ).all()
    for m in meetings:
        url = url_for("council.show", meeting_id=m.id)
        me = next(a for a in m.attendance if a.member_id == user.id)
        if m.voting and me.present:
            todo = ops.still_to_vote(m, user.id)
            if todo:
                tasks.append(
                    Task(
                        f"Bỏ phiếu: {m.campaign.name}",
                        f"Còn {len(todo)} người, tập thể chờ phiếu kín của anh/chị.",
                        url,
                        True,
                        len(todo),
                    )
                )
        for row in actions(user, m):  # the chair's: what the meeting's table says is due
            if row.get("task"):
                tasks.append(
                    Task(
                        f"{row['task']}: {m.campaign.name}",
                        f"Phiên họp {m.held_on:%d/%m/%Y}, {m.place}.",
                        url,
                    )
                )
    if can(user, Action.MANAGE_MEETING):
        for m in db.session.scalars(select(Meeting).where(Meeting.state.in_(MEETING_VOTING))):
            progress = ops.progress(m)
            tasks.append(
                Task(
                    f"Theo dõi biểu quyết: {m.campaign.name}",
                    f"Đã có {progress['voters']} thành viên bỏ phiếu.",
                    url_for("council.show", meeting_id=m.id),
                )
            )
    return tasks


PROVIDERS.append(council_tasks)
