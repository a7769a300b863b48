"""The one place the app keeps bytes at run time: uploads and cached documents.

Every app server must reach the same bytes, so the store is chosen by configuration
(`BLOB_STORE`), and nothing else in the app writes a file while it serves requests:

- `database`: a table of bytes (`blob`) in the app's own database. Nothing to share but
  PostgreSQL; a blob written in a request is part of its transaction (a refused or failed
  act leaves no bytes behind).
- `directory` (the default): `UPLOAD_FOLDER`, which several servers must mount as one
  shared directory. Uploads keep the layout the app always had (`ab/cd/<sha256>`).
- `s3`: any S3-compatible service (`BLOB_S3_BUCKET`, `BLOB_S3_ENDPOINT_URL`,
  `BLOB_S3_PREFIX`; credentials the usual boto3 way). boto3 is an optional extra
  (`pip install -e ".[s3]"`).

Keys are `<namespace>/<name>`: `upload/<sha256>` (content-addressed: the same key always
holds the same bytes, so `put` of an existing key keeps the first copy) and
`doc/<sha256 of a document's inputs>` (documents.cache). Nothing here deletes an upload:
several attachments may share one hash.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import Integer, LargeBinary, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .timeutil import now

KEY_RE = re.compile(r"(upload|doc)/[0-9a-f]{64}")
BACKENDS = ("directory", "database", "s3")


class Blob(db.Model):
    __tablename__ = "blob"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]


def check_key(key: str) -> str:
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        raise ValueError(f"not a blob key: {key!r}")
    return key


class BlobStore:
    """get/put/exists/delete by key; `put` is idempotent (first copy kept)."""

    name = "?"

    def put(self, key: str, data: bytes) -> None:
        raise NotImplementedError

    def get(self, key: str) -> bytes | None:
        raise NotImplementedError

    def exists(self, key: str) -> bool:
        return self.get(key) is not None

    def delete(self, key: str) -> None:
        raise NotImplementedError


class DirectoryStore(BlobStore):
    name = "directory"

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        namespace, name = check_key(key).split("/")
        if namespace == "upload":  # the layout uploads always had
            return self.root / name[:2] / name[2:4] / name
        return self.root / namespace / name[:2] / name

    def put(self, key: str, data: bytes) -> None:
        final = self.path(key)
        if final.exists():
            return
        final.parent.mkdir(parents=True, exist_ok=True)
        # Written beside its final place, then renamed: a reader on any server sees the
        # whole file or none, and two servers writing the same key write the same bytes.
        fd, tmp = tempfile.mkstemp(prefix=".blob-", suffix=".part", dir=final.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, final)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes | None:
        path = self.path(key)
        return path.read_bytes() if path.is_file() else None

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


class DatabaseStore(BlobStore):
    """Rows of the request's own session: written and rolled back with it."""

    name = "database"

    def put(self, key: str, data: bytes) -> None:
        check_key(key)
        if self.exists(key):
            return
        values = {"key": key, "data": data, "size": len(data), "created_at": now()}
        dialect = db.session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        # Two servers storing the same upload at once: the second insert does nothing.
        db.session.execute(insert(Blob).values(**values).on_conflict_do_nothing())

    def get(self, key: str) -> bytes | None:
        return db.session.scalar(select(Blob.data).where(Blob.key == check_key(key)))

    def exists(self, key: str) -> bool:
        return db.session.scalar(select(Blob.size).where(Blob.key == check_key(key))) is not None

    def delete(self, key: str) -> None:
        db.session.execute(delete(Blob).where(Blob.key == check_key(key)))


class S3Store(BlobStore):
    """Any S3-compatible service, through a boto3 client (or anything with its methods)."""

    name = "s3"

    def __init__(self, client, bucket: str, prefix: str = "") -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def _missing(self, err: Exception) -> bool:
        code = getattr(err, "response", {}).get("Error", {}).get("Code")
        return code in ("404", "NoSuchKey", "NotFound")

    def put(self, key: str, data: bytes) -> None:
        if not self.exists(key):
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def get(self, key: str) -> bytes | None:
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except Exception as err:
            if self._missing(err):
                return None
            raise
        return obj["Body"].read()

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except Exception as err:
            if self._missing(err):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))


def _s3_client(config):
    import boto3  # the optional extra: only an S3 deployment needs it

    return boto3.client("s3", endpoint_url=config.get("BLOB_S3_ENDPOINT_URL") or None)


def store() -> BlobStore:
    """The configured store (read from the app's config on each call: tests change it)."""
    config = current_app.config
    kind = config.get("BLOB_STORE", "directory")
    if kind == "directory":
        return DirectoryStore(config["UPLOAD_FOLDER"])
    if kind == "database":
        return DatabaseStore()
    if kind == "s3":
        client = current_app.extensions.get("blob_s3_client")
        if client is None:
            client = current_app.extensions["blob_s3_client"] = _s3_client(config)
        return S3Store(client, config["BLOB_S3_BUCKET"], config.get("BLOB_S3_PREFIX", ""))
    raise ValueError(f"BLOB_STORE must be one of {', '.join(BACKENDS)}, not {kind!r}")
