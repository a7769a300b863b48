"""Shared PDF layer for every generated document (decision, minutes, list, tờ trình).

Pure functions only: nothing here touches Flask, the database or settings, so the
callers pass the agency's names, codes and signer explicitly (they change with the
2025 reorganisation and must never be hard-coded).
"""

from dossier.documents.fonts import FontNames, register_fonts
from dossier.documents.frame import (
    build_pdf,
    get_styles,
    heading_block,
    para,
    signature_block,
    title_block,
)
from dossier.documents.table import wrapped_table
from dossier.documents.text import doc_number, nfc, place_date_line, vn_date

__all__ = [
    "FontNames",
    "build_pdf",
    "doc_number",
    "get_styles",
    "heading_block",
    "nfc",
    "para",
    "place_date_line",
    "register_fonts",
    "signature_block",
    "title_block",
    "vn_date",
    "wrapped_table",
]
