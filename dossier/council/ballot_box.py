"""Sealing and counting ballots: AES-GCM under a per-meeting key derived from SECRET_KEY.

The key lives only in the application's memory (derived on demand), never in the database,
so a reader of the database sees ciphertexts it cannot open and cannot tell an "agree" from
a "disagree". The ballot carries a random pad so every ciphertext has the same length.

`reseal` opens a nominee's ballots and seals them again with fresh nonces and tokens, together
with a new one, in a random order: what a vote writes is then the nominee's whole ballot box,
and nothing written tells the newest ballot from the older ones.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

AGREE, DISAGREE = b"A", b"D"


def _key(meeting_id: int) -> bytes:
    # cryptography imported on first use, not at every start (issue 17)
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"council-ballot-v1",
        info=f"meeting:{meeting_id}".encode(),
    ).derive(current_app.config["SECRET_KEY"].encode())


def _aead(meeting_id: int) -> AESGCM:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(_key(meeting_id))


def _seal(aead: AESGCM, nominee_id: int, agree: bool) -> tuple[str, bytes]:
    fresh = secrets.token_bytes(43)  # nonce (12), pad (15), token (16): one system call
    nonce, plain = fresh[:12], (AGREE if agree else DISAGREE) + fresh[12:27]
    return fresh[27:].hex(), nonce + aead.encrypt(nonce, plain, str(nominee_id).encode())


def _open(aead: AESGCM, nominee_id: int, sealed: bytes) -> bool:
    plain = aead.decrypt(sealed[:12], sealed[12:], str(nominee_id).encode())
    return plain[:1] == AGREE


def seal(meeting_id: int, nominee_id: int, agree: bool) -> tuple[str, bytes]:
    """(random token, sealed value); the nominee is bound as associated data."""
    return _seal(_aead(meeting_id), nominee_id, agree)


def open_ballot(meeting_id: int, nominee_id: int, sealed: bytes) -> bool:
    """True for agree; raises InvalidTag if the ballot was moved to another nominee or forged."""
    return _open(_aead(meeting_id), nominee_id, sealed)


def reseal(
    meeting_id: int, stored: Iterable[tuple[int, bytes]], new: dict[int, bool]
) -> list[dict]:
    """Rows for every ballot of the nominees in `new`: the stored ones (nominee id, sealed
    value) opened and sealed again, plus one new ballot per nominee, shuffled (the system's
    CSPRNG). Raises InvalidTag if a stored ballot was forged or moved."""
    aead = _aead(meeting_id)
    values = [(nid, _open(aead, nid, sealed)) for nid, sealed in stored]
    values += list(new.items())
    secrets.SystemRandom().shuffle(values)
    rows = []
    for nid, agree in values:
        token, sealed = _seal(aead, nid, agree)
        rows.append({"token": token, "meeting_id": meeting_id, "nominee_id": nid, "sealed": sealed})
    return rows
