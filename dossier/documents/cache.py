"""Generated documents cached by content version: rendered once per set of inputs.

A draft decision of 2,000 awardees takes about a second of a worker's time to render, the
certificates of an issued one more: each download used to render them again. The key is a
SHA-256 of everything the renderer reads (the document's inputs, as plain JSON) and of the
renderer's own code (the source of the modules named, and of this package), so a changed
draft, setting or template, or a new release, renders afresh and an unchanged one is read
back from the blob store (dossier/blobs.py), which every app server shares.

A cached entry is never wrong, only unused: nothing needs to invalidate it. Old entries
stay until an administrator clears `doc/` keys (documents are small beside uploads).
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from pathlib import Path

from .. import blobs


def _plain(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=repr) if not isinstance(value, tuple) else list(value)
    table = getattr(value, "__table__", None)
    if table is not None:  # a model row: its columns
        return {c.key: getattr(value, c.key) for c in table.columns}
    raise TypeError(f"not a document input: {type(value).__name__}")


@cache
def code_version(*modules: str) -> str:
    """SHA-256 of the named modules' source and of this package's (once per process)."""
    digest = hashlib.sha256()
    files = sorted(Path(__file__).parent.glob("*.py"))
    files += [Path(sys.modules[m].__file__) for m in modules]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key_of(kind: str, inputs, *, modules: tuple[str, ...] = ()) -> str:
    blob = json.dumps(
        {"kind": kind, "code": code_version(*modules), "inputs": inputs},
        default=_plain,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return "doc/" + hashlib.sha256(blob.encode()).hexdigest()


def cached(
    kind: str, inputs, render: Callable[[], bytes], *, modules: tuple[str, ...] = ()
) -> bytes:
    """render()'s bytes for these inputs, from the store when they were rendered before.

    `modules`: the renderer's modules (already imported), part of the key. With the
    database store the entry is written in the request's transaction: the view commits."""
    store = blobs.store()
    key = key_of(kind, inputs, modules=modules)
    data = store.get(key)
    if data is None:
        data = render()
        store.put(key, data)
    return data
