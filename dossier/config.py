"""Configuration: defaults, then the environment, then an explicit mapping (tests)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

MAX_UPLOAD_MB_DEFAULT = 20


def _bool_env(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "dossier.db")
    # Accept the URLs hosting providers hand out; psycopg 3 is the driver we ship.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else generated once into the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    try:
        # O_EXCL: two workers starting together must not write two different keys.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def load(app, overrides: dict | None) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    overrides = dict(overrides or {})
    max_mb = int(os.environ.get("MAX_UPLOAD_MB", MAX_UPLOAD_MB_DEFAULT))
    app.config.update(
        SQLALCHEMY_DATABASE_URI=overrides.pop("SQLALCHEMY_DATABASE_URI", None)
        or database_url(app.instance_path),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        SESSION_COOKIE_SECURE=_bool_env("SESSION_COOKIE_SECURE", True),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=_bool_env("SESSION_COOKIE_SECURE", True),
        REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        BOOTSTRAP_SERVE_LOCAL=True,  # closed government networks: no CDN
        MAX_UPLOAD_MB=max_mb,
        # Werkzeug rejects bigger bodies before they reach a view (413).
        MAX_CONTENT_LENGTH=(max_mb + 1) * 1024 * 1024,
        UPLOAD_FOLDER=os.environ.get("UPLOAD_FOLDER") or str(Path(app.instance_path) / "uploads"),
        # Where uploads and cached documents live (blobs.py): "directory" (UPLOAD_FOLDER,
        # shared by every app server), "database" (a table of bytes) or "s3".
        BLOB_STORE=os.environ.get("BLOB_STORE", "directory"),
        BLOB_S3_BUCKET=os.environ.get("BLOB_S3_BUCKET"),
        BLOB_S3_ENDPOINT_URL=os.environ.get("BLOB_S3_ENDPOINT_URL"),
        BLOB_S3_PREFIX=os.environ.get("BLOB_S3_PREFIX", ""),
        # Server-side sessions (org/sessions.py): idle and absolute lifetimes.
        SESSION_IDLE_MINUTES=int(os.environ.get("SESSION_IDLE_MINUTES", 480)),
        SESSION_ABSOLUTE_HOURS=int(os.environ.get("SESSION_ABSOLUTE_HOURS", 168)),
        # Failed sign-ins, dead e-mail links, public uploads (throttle.py). "database://" is
        # this app's database, shared by every app server; memory:// is per process.
        RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "database://"),
        RATELIMIT_PER_ADDRESS=os.environ.get("RATELIMIT_PER_ADDRESS", "10/minute;30/hour;100/day"),
        RATELIMIT_PER_ACCOUNT_ADDRESS=os.environ.get(
            "RATELIMIT_PER_ACCOUNT_ADDRESS", "5/minute;15/hour;40/day"
        ),
        RATELIMIT_PER_ACCOUNT=os.environ.get("RATELIMIT_PER_ACCOUNT", "20/hour;60/day"),
        RATELIMIT_PER_DEVICE=os.environ.get("RATELIMIT_PER_DEVICE", "5/minute;20/hour;60/day"),
        # Calls per personal access token (the JSON API under /api/v1).
        RATELIMIT_API=os.environ.get("RATELIMIT_API", "300/minute;10000/hour"),
        KNOWN_DEVICE_DAYS=int(os.environ.get("KNOWN_DEVICE_DAYS", 180)),
        TIMEZONE="Asia/Ho_Chi_Minh",
        PAGE_SIZE=50,
        # Requests a worker serves before its long-lived objects leave the collector's
        # generations (gc_settle.py); 0: never.
        GC_FREEZE_AFTER_REQUESTS=int(os.environ.get("GC_FREEZE_AFTER_REQUESTS", 20)),
        # Unset: no delivery is attempted, messages wait in the outbox (Quản trị › Hộp thư đi).
        MAIL_SERVER=(os.environ.get("MAIL_SERVER") or "").strip() or None,
        MAIL_PORT=int(os.environ.get("MAIL_PORT", 25)),
        MAIL_USE_TLS=_bool_env("MAIL_USE_TLS", False),
        MAIL_USERNAME=os.environ.get("MAIL_USERNAME"),
        MAIL_PASSWORD=os.environ.get("MAIL_PASSWORD"),
        MAIL_SENDER=os.environ.get("MAIL_SENDER", "tdkt@skhcn.local"),
        MAIL_BASE_URL=os.environ.get("MAIL_BASE_URL"),  # e.g. https://tdkt.skhcn.gov.vn
        REMINDER_DAYS=os.environ.get("REMINDER_DAYS", "7,3,1"),
        ESCALATION_WORKING_DAYS=int(os.environ.get("ESCALATION_WORKING_DAYS", 3)),
        # Links in e-mail that act (vote, sign) stay usable this long, once.
        MAIL_ACTION_HOURS=int(os.environ.get("MAIL_ACTION_HOURS", 48)),
        # Seals the audit checkpoints (audit_anchor.py); SECRET_KEY's derivation if unset.
        AUDIT_ANCHOR_KEY=os.environ.get("AUDIT_ANCHOR_KEY") or None,
        # Behind a reverse proxy: how many proxies to trust for each X-Forwarded-* header
        # (werkzeug's ProxyFix). 0, the default, trusts none: the headers are ignored.
        **{
            f"PROXY_FIX_X_{part}": int(os.environ.get(f"PROXY_FIX_X_{part}", 0))
            for part in ("FOR", "PROTO", "HOST", "PORT", "PREFIX")
        },
    )
    app.config["SECRET_KEY"] = overrides.pop("SECRET_KEY", None) or secret_key(app.instance_path)
    app.config.update(overrides)
    # Flask refuses a signed cookie older than this; the server-side record is what counts.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(
        hours=int(app.config["SESSION_ABSOLUTE_HOURS"])
    )
