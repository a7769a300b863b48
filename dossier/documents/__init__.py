"""Shared PDF layer for every generated document (decision, minutes, list, tờ trình).

Pure functions only: nothing here touches Flask, the database or settings, so the
callers pass the agency's names, codes and signer explicitly (they change with the
2025 reorganisation and must never be hard-coded).

The names below load their module on first use (PEP 562): importing `dossier.documents.cache`
or `.text` does not import reportlab (about 0.25 s of CPU at start-up, issue 17).
"""

from __future__ import annotations

from importlib import import_module

_HOME = {
    "FontNames": "fonts",
    "register_fonts": "fonts",
    "build_pdf": "frame",
    "get_styles": "frame",
    "heading_block": "frame",
    "para": "frame",
    "signature_block": "frame",
    "title_block": "frame",
    "wrapped_table": "table",
    "doc_number": "text",
    "nfc": "text",
    "place_date_line": "text",
    "vn_date": "text",
}

__all__ = sorted(_HOME)


def __getattr__(name: str):
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
