"""What each user should do next, computed from the live data (never from stored copies)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from .enums import Role


@dataclass
class Task:
    title: str
    detail: str
    url: str
    urgent: bool = False
    count: int | None = None


def tasks_for(user) -> list[Task]:
    tasks: list[Task] = []
    for provider in PROVIDERS:
        tasks.extend(provider(user))
    return tasks


def _admin_tasks(user) -> list[Task]:
    if not user.has_role(Role.ADMIN):
        return []
    return [
        Task("Thông tin cơ quan", "Tên cơ quan, cơ quan chủ quản, địa danh, người ký: dùng cho "
             "mọi văn bản.", url_for("admin.agency")),
        Task("Tài khoản và vai trò", "Cấp tài khoản, giao vai trò theo đơn vị và theo năm.",
             url_for("admin.accounts")),
        Task("Nhật ký hệ thống", "Kiểm tra tính toàn vẹn của nhật ký thao tác.",
             url_for("admin.audit_log")),
    ]


# Later steps of the process append their providers here (dossiers, intake, council, …).
PROVIDERS = [_admin_tasks]
