"""What each user should do next, computed from the live data; the list is kept per user for
at most a minute and only until anything is written (see "the navigation badge" below)."""

from __future__ import annotations

import copy
import threading
import time
from dataclasses import dataclass

from flask import current_app, g, has_request_context, url_for
from sqlalchemy import event, select

from .access import Principal, principals
from .audit import AuditHead
from .enums import Role
from .extensions import db
from .timeutil import now


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


# --- the navigation badge and the to-do list, kept until something changes ------------
#
# Every page shows how many tasks the user has. Building the list takes 8-20 statements
# (every provider's queries), which used to double the statements of a plain list page.
# The list is cached per user and keyed by what can change it:
# - the audit chain's head hash (one single-row read per page): every operation writes an
#   audit event, on whichever app server it runs, so any state change anywhere moves it;
# - this process's write generation, bumped by every INSERT/UPDATE/DELETE it sends (what
#   a builder or a bulk load writes without an audit event, and a rolled-back test
#   transaction whose head hash could come back);
# - the minute of the app's clock (timeutil.now, so a frozen clock counts too): cut-offs
#   pass and substitutions start by the clock alone, and a task's "còn … giờ" was worded
#   in that minute.
# An entry lives BADGE_TTL seconds at most. The badge and the home page both read it, so
# the home page of a user whose data did not change sends no provider's query either.

BADGE_TTL = 60.0
BADGE_MAX_ENTRIES = 10_000
_WRITES = ("INSERT", "UPDATE", "DELETE")
# Written by every signed-in request now and then; no task depends on them.
_BOOKKEEPING = ("user_session", "rate_limit_counter", "known_device")


class BadgeCache:
    def __init__(self) -> None:
        self.entries: dict[int, tuple[tuple, tuple[Task, ...], float]] = {}
        self.values: dict[str, tuple[tuple, object]] = {}  # kept(): one entry per name
        self.writes = 0
        self.lock = threading.Lock()

    def on_execute(self, conn, cursor, statement, *args) -> None:
        head = statement.lstrip()[:60]
        if head[:6].upper() in _WRITES and not any(t in head for t in _BOOKKEEPING):
            self.writes += 1

    def get(self, user_id: int, key: tuple) -> tuple[Task, ...] | None:
        hit = self.entries.get(user_id)
        if hit and hit[0] == key and hit[2] > time.monotonic():
            return hit[1]
        return None

    def put(self, user_id: int, key: tuple, tasks: list[Task]) -> None:
        with self.lock:
            if len(self.entries) >= BADGE_MAX_ENTRIES:
                self.entries.clear()
            self.entries[user_id] = (key, tuple(tasks), time.monotonic() + BADGE_TTL)


def init_app(app) -> None:
    cache = BadgeCache()
    app.extensions["badge_cache"] = cache
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", cache.on_execute)


# Built once (it keeps its cache key): every page reads it.
_HEAD = select(AuditHead.hash).where(AuditHead.id == 1)


def _badge_key(cache: BadgeCache) -> tuple:
    """Read once per request (and again after a write of this process); outside a request
    (a worker's long app context) every time."""
    in_request = has_request_context()
    memo = g.get("badge_key") if in_request else None
    if memo is not None and memo[1] == cache.writes:
        return memo
    head = db.session.scalar(_HEAD)
    key = (head, cache.writes, int(now().timestamp() // 60))
    if in_request:
        g.badge_key = key
    return key


def kept(name: str, compute):
    """`compute()`, or what it gave under the same key as the badge's (nothing written
    anywhere, the same minute): for small values every page shows, such as the help box's
    next cut-off. Computed afresh while this session holds changes not flushed yet."""
    cache: BadgeCache | None = current_app.extensions.get("badge_cache")
    session = db.session
    if cache is None or session.new or session.dirty or session.deleted:
        return compute()
    key = _badge_key(cache)
    hit = cache.values.get(name)
    if hit is not None and hit[0] == key:
        return hit[1]
    value = compute()
    if cache.writes == key[1]:
        cache.values[name] = (key, value)
    return value


def task_list(user) -> list[Task]:
    """`tasks_for(user)`, from the cache when nothing changed (copies: a page may not alter
    what the next one reads)."""
    cache: BadgeCache | None = current_app.extensions.get("badge_cache")
    if cache is None:
        return tasks_for(user)
    key = _badge_key(cache)
    hit = cache.get(user.id, key)
    if hit is not None:
        return [copy.copy(t) for t in hit]
    tasks = tasks_for(user)
    # Stored under the key read before the list was built: a change committed meanwhile
    # (here or on another server) only makes the next page miss. A write of this process
    # meanwhile (its own transaction, not committed yet) must not be cached.
    if cache.writes == key[1]:
        cache.put(user.id, key, [copy.copy(t) for t in tasks])
    return tasks


def task_count(user) -> int:
    """How many tasks `tasks_for(user)` lists (the navigation badge)."""
    return len(task_list(user))


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
