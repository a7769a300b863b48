"""One decision as a file, for the view, the CLI and the benchmark alike."""

from __future__ import annotations

from ..documents.cache import cached
from .models import Decision
from .operations import data_of

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def export(decision: Decision, fmt: str) -> tuple[bytes, str, str]:
    """(bytes, mime type, file name). An issued PDF is the stored one (signed if it was)."""
    if fmt not in MIME:
        raise ValueError(fmt)
    data = data_of(decision)
    stem = (
        f"quyet-dinh-{decision.number:02d}-{decision.year}"
        if decision.issued
        else f"du-thao-quyet-dinh-{decision.id}"
    )
    if fmt == "pdf":
        if decision.issued and decision.pdf:
            return decision.pdf, MIME[fmt], f"{stem}.pdf"
        from . import pdf as renderer  # heavy (reportlab): loaded on use
    else:
        from . import docx as renderer  # heavy (python-docx): loaded on use
    # A draft of 2,000 awardees takes a worker a second or more: rendered once per content.
    body = cached(
        f"decision.{fmt}",
        data,
        lambda: renderer.render(data),
        modules=(renderer.__name__, "dossier.decisions.data"),
    )
    return body, MIME[fmt], f"{stem}.{fmt}"
