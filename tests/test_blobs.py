"""The blob store every app server shares (uploads, cached documents), and the document
cache keyed by content version (issue 17)."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from dossier import blobs
from dossier.decisions import operations as ops
from dossier.decisions import pdf as decision_pdf
from dossier.enums import Role
from dossier.extensions import db
from dossier.nominations.attachments import add_attachment
from tests import builders as b
from tests import dossier_builders as db_
from tests.decision_builders import approved, people

KEY = "upload/" + hashlib.sha256(b"x").hexdigest()


class FakeS3:
    """What S3Store calls on a boto3 client, in memory (no S3 server on this machine)."""

    class Missing(Exception):
        def __init__(self):
            self.response = {"Error": {"Code": "NoSuchKey"}}

    def __init__(self):
        self.objects: dict[tuple[str, str], bytes] = {}
        self.puts = 0

    def put_object(self, *, Bucket, Key, Body):  # noqa: N803 (boto3's names)
        self.puts += 1
        self.objects[Bucket, Key] = bytes(Body)

    def get_object(self, *, Bucket, Key):  # noqa: N803
        if (Bucket, Key) not in self.objects:
            raise self.Missing()
        data = self.objects[Bucket, Key]
        return {"Body": type("Body", (), {"read": lambda self: data})()}

    def head_object(self, *, Bucket, Key):  # noqa: N803
        if (Bucket, Key) not in self.objects:
            raise self.Missing()
        return {}

    def delete_object(self, *, Bucket, Key):  # noqa: N803
        self.objects.pop((Bucket, Key), None)


def _backends(app, tmp_path):
    fake = FakeS3()
    return {
        "directory": blobs.DirectoryStore(tmp_path / "shared"),
        "database": blobs.DatabaseStore(),
        "s3": blobs.S3Store(fake, "tdkt", prefix="prod/"),
    }, fake


@pytest.mark.parametrize("backend", ["directory", "database", "s3"])
def test_every_backend_keeps_bytes_by_key(app, tmp_path, backend):
    store = _backends(app, tmp_path)[0][backend]
    assert store.get(KEY) is None and not store.exists(KEY)
    store.put(KEY, b"first")
    store.put(KEY, b"second")  # content-addressed: the first copy is kept
    assert store.get(KEY) == b"first" and store.exists(KEY)
    store.delete(KEY)
    assert store.get(KEY) is None
    for bad in ("../etc/passwd", "upload/abc", "other/" + "a" * 64, None):
        with pytest.raises(ValueError):
            store.get(bad)


def test_the_s3_store_uses_its_bucket_and_prefix(app, tmp_path):
    stores, fake = _backends(app, tmp_path)
    stores["s3"].put(KEY, b"x")
    assert list(fake.objects) == [("tdkt", "prod/" + KEY)]


def test_the_configured_store(app):
    app.config["BLOB_STORE"] = "database"
    assert isinstance(blobs.store(), blobs.DatabaseStore)
    app.config["BLOB_STORE"] = "directory"
    assert isinstance(blobs.store(), blobs.DirectoryStore)
    app.config["BLOB_STORE"] = "s3"
    app.config["BLOB_S3_BUCKET"] = "tdkt"
    app.extensions["blob_s3_client"] = FakeS3()
    try:
        assert isinstance(blobs.store(), blobs.S3Store)
    finally:
        del app.extensions["blob_s3_client"]
    app.config["BLOB_STORE"] = "ftp"
    with pytest.raises(ValueError):
        blobs.store()


def test_uploads_in_the_database_store_leave_no_file(app, as_user, tmp_path):
    app.config["BLOB_STORE"] = "database"
    unit = b.unit()
    head = b.user(Role.UNIT_HEAD, unit_obj=unit)
    d = db_.dossier(unit, db_.campaign())
    data = db_.pdf_bytes()
    a = add_attachment(
        head,
        d,
        version=d.version,
        kind="other",
        nominee_id=None,
        file_storage=db_.upload(data, "Tờ trình.pdf"),
    )
    db.session.commit()
    assert db.session.scalar(select(blobs.Blob.data).where(blobs.Blob.key.endswith(a.sha256)))
    resp = as_user(head).get(f"/tep/{a.id}")
    assert resp.status_code == 200 and resp.data == data
    assert db_.stored_files(app) == []


@pytest.mark.parametrize("backend", ["directory", "database"])
def test_a_draft_decision_is_rendered_once_per_content(app, as_user, monkeypatch, backend):
    app.config["BLOB_STORE"] = backend
    office, _, _ = people()
    c, _, _ = approved(3)
    decision = ops.draft(office, c)
    db.session.commit()
    renders = []
    real = decision_pdf.render
    monkeypatch.setattr(decision_pdf, "render", lambda data: renders.append(1) or real(data))
    client = as_user(office)
    url = f"/quyet-dinh/{decision.id}/pdf"
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and first.data.startswith(b"%PDF")
    assert len(renders) == 1
    ops.update_draft(
        office,
        decision,
        version=decision.version,
        subject="Về việc khen thưởng (đã sửa)",
        legal_basis=decision.legal_basis,
        articles=decision.articles,
        recipients=decision.recipients,
    )
    db.session.commit()
    third = client.get(url)
    assert len(renders) == 2 and third.data != first.data
