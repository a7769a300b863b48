"""Attachments of a dossier: scans, evidence and other files, stored by content hash.

Everything that can refuse an upload is checked before the file touches the disk (the
version, the dossier's state, the kind, the nominee), so a refused upload leaves nothing.
"""

from __future__ import annotations

from flask import current_app

from ..enums import AttachmentKind
from ..errors import DomainError
from ..extensions import db
from ..timeutil import now
from . import storage
from .models import Attachment, Dossier
from .operations import _changed, ensure_editable, expect_version


def max_upload_bytes() -> int:
    return int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024


def add_attachment(
    actor, dossier: Dossier, *, version, kind: str, nominee_id: int | None, file_storage
) -> Attachment:
    expect_version(dossier, version)
    ensure_editable(dossier)
    try:
        kind = AttachmentKind(kind)
    except ValueError:
        raise DomainError("Loại tài liệu đính kèm không hợp lệ.") from None
    nominee = None
    if nominee_id not in (None, ""):
        nominee = next((n for n in dossier.nominees if str(n.id) == str(nominee_id)), None)
        if nominee is None:
            raise DomainError("Người được đề nghị đã chọn không thuộc hồ sơ này.")
    stored = storage.store(file_storage, max_bytes=max_upload_bytes())
    attachment = Attachment(
        nominee_id=nominee.id if nominee else None,
        kind=kind,
        filename=stored.filename,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by_id=actor.id,
        uploaded_at=now(),
    )
    dossier.attachments.append(attachment)
    db.session.flush()
    _changed(
        actor,
        dossier,
        "attachment_added",
        filename=stored.filename,
        kind=kind.value,
        nominee=nominee.name if nominee else None,
        sha256=stored.sha256,
    )
    return attachment


def remove_attachment(actor, attachment: Attachment, *, version) -> None:
    """Removes the row only: the stored file may be shared by other rows (same hash)."""
    dossier = attachment.dossier
    expect_version(dossier, version)
    ensure_editable(dossier)
    dossier.attachments.remove(attachment)  # delete-orphan cascade deletes the row
    _changed(
        actor,
        dossier,
        "attachment_removed",
        filename=attachment.filename,
        kind=attachment.kind,
        sha256=attachment.sha256,
    )
