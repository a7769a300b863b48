"""Where the administrator's signing certificate lives: instance/signing/, never the DB.

The PKCS#12 bundle is stored 0600; its password comes from SIGNING_P12_PASSWORD, or is kept
encrypted under a key derived from SECRET_KEY (which protects it only when SECRET_KEY
itself comes from the environment, not from the instance folder: see the README).
"""

from __future__ import annotations

import base64
import os
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from .. import audit
from .signing import SignerInfo, load_signer, load_trust_roots


def _dir() -> Path:
    path = Path(current_app.instance_path) / "signing"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _fernet() -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"signing-password-v1", info=b"p12"
    ).derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _write(path: Path, data: bytes) -> None:
    """Atomically, 0600: a refused upload never replaces the certificate in use."""
    fd, tmp = tempfile.mkstemp(dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_signer(actor, p12: bytes, password: str) -> SignerInfo:
    info = load_signer(p12, password)  # refuses a wrong password, an expired certificate …
    _write(_dir() / "signer.p12", p12)
    _write(_dir() / "password.enc", _fernet().encrypt(password.encode()))
    audit.record(
        actor=actor,
        action="signing_certificate_set",
        object_type="system",
        data={
            "subject": info.common_name,
            "serial": str(info.serial),
            "sha256": info.fingerprint_sha256,
        },
    )
    return info


def save_trust_roots(actor, data: bytes) -> int:
    roots = load_trust_roots(data)
    _write(_dir() / "trust_roots.pem", data)
    audit.record(
        actor=actor, action="trust_roots_set", object_type="system", data={"roots": len(roots)}
    )
    return len(roots)


def remove_signer(actor) -> None:
    for name in ("signer.p12", "password.enc"):
        (_dir() / name).unlink(missing_ok=True)
    audit.record(actor=actor, action="signing_certificate_removed", object_type="system")


def configured_signer() -> SignerInfo | None:
    """None when no certificate is set; DomainError when it no longer loads (e.g. expired)."""
    p12 = _dir() / "signer.p12"
    if not p12.exists():
        return None
    password = os.environ.get("SIGNING_P12_PASSWORD")
    if password is None:
        password = _fernet().decrypt((_dir() / "password.enc").read_bytes()).decode()
    return load_signer(p12.read_bytes(), password)


def trust_roots() -> list[bytes] | None:
    path = _dir() / "trust_roots.pem"
    return load_trust_roots(path.read_bytes()) if path.exists() else None
