"""Small values computed from the data (a list's count, a filter's choices), kept in this
worker while the database's content version stands (issue 17).

The same rule as the intake findings' cache (intake/findings.py): a value is served again
only under the token it was computed under (dossier/versioning.py), and the token moves
with every committed write to process data, on whichever app server wrote. So a served
value is exactly what computing it now would give; an entry is never stale, only dropped.

A request reads the token once (`usable_token()`) and passes it to each `remember()`:
one single-row query instead of the count and the choices' queries. While the request's
own transaction holds writes not committed yet, there is no usable token and everything
is computed (what that transaction reads is not what the token stands for).

Keys name what is computed and every argument it depends on, e.g.
("history.count", name, year, unit, kind, code). Each worker keeps its own MEMO_SIZE
entries, least recently used dropped first; nothing is shared but the version row.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

from . import versioning

MEMO_SIZE = 512  # small values: a count, a few hundred (id, name) pairs
T = TypeVar("T")


class VersionMemo:
    def __init__(self, size: int = MEMO_SIZE) -> None:
        self.size = size
        self.entries: OrderedDict[Hashable, tuple[str, object]] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, token: str) -> tuple[bool, object]:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] != token:
                self.misses += 1
                return False, None
            self.entries.move_to_end(key)
            self.hits += 1
            return True, entry[1]

    def put(self, key: Hashable, token: str, value: object) -> None:
        with self.lock:
            self.entries[key] = (token, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def init_app(app) -> None:
    app.extensions["version_memo"] = VersionMemo()


def token_to_read_under() -> str | None:
    """The content version now, if this request may read kept values under it: None when
    there is none yet or the request's transaction holds writes of its own."""
    token = versioning.token()  # flushes pending changes first (autoflush): then marked
    if token is None or versioning.pending():
        return None
    return token


def usable_token() -> str | None:
    """token_to_read_under(), or None at once when this app keeps no values."""
    if current_app.extensions.get("version_memo") is None:
        return None
    return token_to_read_under()


def remember_in(store: VersionMemo, key: Hashable, compute: Callable[[], T], token: str) -> T:
    """What compute() gave under `token` in `store`, or compute() now, kept if it read the
    data of `token`."""
    found, value = store.get(key, token)
    if found:
        return value  # type: ignore[return-value]
    value = compute()
    # Kept only if no write was committed meanwhile (each statement may see a later state
    # on PostgreSQL): then what compute() read is the data of `token`.
    if versioning.token() == token and not versioning.pending():
        store.put(key, token, value)
    return value


def remember(key: Hashable, compute: Callable[[], T], token: str | None) -> T:
    """compute(), or what it gave under `token` (from usable_token()) in this worker.

    The value must be immutable (a number, tuples): every later request gets this object."""
    store: VersionMemo | None = current_app.extensions.get("version_memo")
    if store is None or token is None:
        return compute()
    return remember_in(store, key, compute, token)
