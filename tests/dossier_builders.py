"""Builders for dossier tests: a campaign, a dossier, real files of each format, workbooks."""

from __future__ import annotations

import itertools
import struct
import zlib
from datetime import timedelta
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from werkzeug.datastructures import FileStorage

from dossier.campaigns.catalogue import ensure_default_forms
from dossier.campaigns.models import Campaign
from dossier.enums import CampaignKind
from dossier.extensions import db
from dossier.nominations.importer import HEADERS
from dossier.nominations.models import Dossier
from dossier.org.models import Unit
from dossier.timeutil import cutoff_before, local_now, now

_seq = itertools.count(1)


def campaign(name: str | None = None, *, days_left: int = 30) -> Campaign:
    """A yearly campaign admitting every default form, its cut-off `days_left` days away."""
    forms = ensure_default_forms()
    today = local_now().date()
    c = Campaign(
        name=name or f"Khen thưởng năm {today.year} (đợt {next(_seq)})",
        year=today.year,
        kind=CampaignKind.YEARLY,
        cutoff_at=cutoff_before(today + timedelta(days=days_left)),
    )
    c.award_forms = list(forms)
    db.session.add(c)
    db.session.flush()
    return c


def dossier(
    unit: Unit, campaign_obj: Campaign | None = None, *, state: str = "draft", seq: int = 1
) -> Dossier:
    d = Dossier(
        campaign_id=(campaign_obj or campaign()).id,
        unit_id=unit.id,
        seq=seq,
        state="draft",
        letter_date=local_now().date(),
    )
    db.session.add(d)
    db.session.flush()
    if state != "draft":
        set_state(d, state)
    return d


def set_state(d: Dossier, state: str) -> None:
    """Moves the dossier directly (the workflow's guards are tested elsewhere)."""
    with db.session.no_autoflush:
        if state not in ("draft", "withdrawn") and d.submitted_at is None:
            d.submitted_at, d.revision = now(), d.revision + 1
        d.state = state
    db.session.flush()


def scans(d: Dossier, user) -> None:
    """The signed scans of the tờ trình and the minutes every campaign requires by default
    (rows only: the file's content is not what the checklist reads)."""
    from dossier.enums import AttachmentKind
    from dossier.nominations.models import Attachment

    for kind in (AttachmentKind.LETTER_SCAN, AttachmentKind.MINUTES_SCAN):
        d.attachments.append(
            Attachment(
                kind=kind,
                filename=f"{kind.value}.pdf",
                content_type="application/pdf",
                size=1,
                sha256="1" * 64,
                uploaded_by_id=user.id,
            )
        )
    db.session.flush()


# --- files of each format ------------------------------------------------------------


def pdf_bytes(text: str = "Báo cáo thành tích") -> bytes:
    from reportlab.pdfgen import canvas

    out = BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


def png_bytes(width: int = 2, height: int = 2, shade: int = 0) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes([shade]) * width * 3 for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


def docx_bytes(text: str = "Minh chứng sáng kiến") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(
    rows: list[list], headers: list[str] | None = None, sheet: str = "Danh sách"
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers or HEADERS)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(data: bytes, filename: str) -> FileStorage:
    return FileStorage(stream=BytesIO(data), filename=filename)


def form_file(data: bytes, filename: str) -> tuple[BytesIO, str]:
    """A file for the test client's multipart form."""
    return BytesIO(data), filename


def stored_files(app) -> list[Path]:
    """Every file under the upload folder, temporary ones included."""
    root = Path(app.config["UPLOAD_FOLDER"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def flashes(client) -> list[tuple[str, str]]:
    with client.client.session_transaction() as session:
        return [(c, str(m)) for c, m in session.get("_flashes", [])]
