"""Sealing and counting ballots: AES-GCM under a per-meeting key derived from SECRET_KEY.

The key lives only in the application's memory (derived on demand), never in the database,
so a reader of the database sees ciphertexts it cannot open and cannot tell an "agree" from
a "disagree". The ballot carries a random pad so every ciphertext has the same length.
"""

from __future__ import annotations

import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

AGREE, DISAGREE = b"A", b"D"


def _key(meeting_id: int) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"council-ballot-v1",
        info=f"meeting:{meeting_id}".encode(),
    ).derive(current_app.config["SECRET_KEY"].encode())


def seal(meeting_id: int, nominee_id: int, agree: bool) -> tuple[str, bytes]:
    """(random token, sealed value); the nominee is bound as associated data."""
    nonce = secrets.token_bytes(12)
    plain = (AGREE if agree else DISAGREE) + secrets.token_bytes(15)
    sealed = nonce + AESGCM(_key(meeting_id)).encrypt(nonce, plain, str(nominee_id).encode())
    return secrets.token_hex(16), sealed


def open_ballot(meeting_id: int, nominee_id: int, sealed: bytes) -> bool:
    """True for agree; raises InvalidTag if the ballot was moved to another nominee or forged."""
    plain = AESGCM(_key(meeting_id)).decrypt(sealed[:12], sealed[12:], str(nominee_id).encode())
    return plain[:1] == AGREE
