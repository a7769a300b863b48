"""What each user should do next, computed from the live data (never from stored copies)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from .access import Principal, principals
from .enums import Role


@dataclass
class Task:
    title: str
    detail: str
    url: str
    urgent: bool = False
    count: int | None = None
    on_behalf_of: str | None = None  # "Chánh Văn phòng Lê Văn An": a task held as substitute
    until: object = None  # the last day of that substitution


def _collect(principal: Principal) -> list[Task]:
    tasks: list[Task] = []
    for provider in PROVIDERS:
        tasks.extend(provider(principal))
    tasks.sort(key=lambda t: not t.urgent)  # urgent first, otherwise in process order
    return tasks


def tasks_for(user) -> list[Task]:
    """The user's own tasks, then those of each person they stand in for today, labelled
    with that person (a task both would see is listed once, as the user's own). Each
    provider is given one Principal: the user with one set of roles."""
    own, *delegated = principals(user)
    tasks = _collect(own)
    seen = {(t.title, t.url) for t in tasks}
    for principal in delegated:
        delegation = principal.via
        for task in _collect(principal):
            if (task.title, task.url) not in seen:
                seen.add((task.title, task.url))
                task.on_behalf_of, task.until = delegation.delegator_label, delegation.ends_on
                tasks.append(task)
    return tasks


def _admin_tasks(user) -> list[Task]:
    if not user.has_role(Role.ADMIN):
        return []
    return [
        Task(
            "Thông tin cơ quan",
            "Tên cơ quan, cơ quan chủ quản, địa danh, người ký: dùng cho mọi văn bản.",
            url_for("admin.agency"),
        ),
        Task(
            "Tài khoản và vai trò",
            "Cấp tài khoản, giao vai trò theo đơn vị và theo năm.",
            url_for("admin.accounts"),
        ),
        Task(
            "Nhật ký hệ thống",
            "Kiểm tra tính toàn vẹn của nhật ký thao tác.",
            url_for("admin.audit_log"),
        ),
    ]


# Later steps of the process append their providers here (dossiers, intake, council, …).
PROVIDERS = [_admin_tasks]
