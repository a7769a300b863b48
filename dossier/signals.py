"""The engine's signals: notifications subscribe, operations never import the notifier.

`fire()` sends "<object type>.<trigger>" after each transition; an operation's own event
("decision.create") goes out with announce(). Split out of workflow.py, which re-exports
every name here (`from dossier.workflow import on` keeps working).
"""

from __future__ import annotations

from blinker import Namespace

SIGNALS = Namespace()


def signal(name: str):
    """The blinker signal "<object type>.<trigger>" (sent after the transition, with the
    object as sender and `ctx`, `source`), or an operation's own event ("decision.create")."""
    return SIGNALS.signal(name)


def on(event):
    """Subscribe a receiver: `@on(DossierTrigger.ACCEPT)` (a transition, sent by the engine)
    or `@on("decision.create")` (an operation's own event, sent with announce())."""
    trigger = getattr(event, "object_type", None)
    return signal(f"{trigger}.{event}" if trigger else str(event)).connect


def announce(name: str, obj, **data) -> list:
    """Send an operation's own event (a creation, not a transition); returns the receivers'
    answers (a notification returns how many messages it queued)."""
    return [answer for _, answer in signal(name).send(obj, **data)]
