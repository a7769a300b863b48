"""The checks' findings per campaign, kept between requests while nothing changed (issue 17).

`check(campaign)` answers exactly what `rules.check(campaign)` answers: the checked list
computed under the database's content version (dossier/versioning.py) is served again
while that version is unchanged, on whichever app server wrote last. The version moves
with any committed write to what the checks read (dossiers, nominees, their uploads, the
history and the staff's facts, the award forms and rules, the campaign and its quotas),
so an entry is never stale; it is only dropped. Each worker process keeps its own few
entries (CACHE_SIZE campaigns); nothing is shared but the version row.

Callers must treat the Checked as read-only: it may be the one the next request gets.
"""

from __future__ import annotations

import threading

from flask import current_app

from .. import memo
from ..campaigns.models import Campaign
from ..extensions import db
from . import rules

CACHE_SIZE = 8  # campaigns per worker process: a province runs one or two at a time


class FindingsCache(memo.VersionMemo):
    """Checked lists by campaign id (dossier/memo.py's entries and rule), and one lock per
    campaign so that a computation is not run twice at once in this process."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        super().__init__(size)
        self.computing: dict[int, threading.Lock] = {}  # campaign id -> one computation

    def computing_lock(self, campaign_id: int) -> threading.Lock:
        with self.lock:
            return self.computing.setdefault(campaign_id, threading.Lock())


def init_app(app) -> None:
    app.extensions["findings_cache"] = FindingsCache()


_READ = object()  # check(): no token given, read it


def check(campaign: Campaign, token: str | None | object = _READ) -> rules.Checked:
    """rules.check(campaign), from the cache when the content version is unchanged.
    `token`: what memo.usable_token() gave this request, when it has read it already."""
    cache: FindingsCache | None = current_app.extensions.get("findings_cache")
    if cache is None:
        return rules.check(campaign)
    before = memo.token_to_read_under() if token is _READ else token
    if before is None:
        return rules.check(campaign)  # own writes not committed: what only we can see
    found, hit = cache.get(campaign.id, before)
    if found:
        return hit
    # One computation per campaign at a time in this process: the threads that missed
    # with it (everyone opening the intake page at 8 a.m.) wait and take its result.
    with cache.computing_lock(campaign.id):
        return memo.remember_in(cache, campaign.id, lambda: _afresh(campaign), before)


def _afresh(campaign: Campaign) -> rules.Checked:
    # Objects this session loaded before the version was read (the campaign, its forms)
    # may be older than it under READ COMMITTED: read everything afresh. Nothing is lost:
    # the transaction holds no change of its own.
    db.session.expire_all()
    return rules.check(campaign)


def build(campaign: Campaign):
    """rules.build(campaign): the whole consolidated list (API, exports, sending)."""
    return check(campaign).consolidated()
