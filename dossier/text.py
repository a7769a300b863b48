"""Vietnamese text: NFC normalisation, ICU vi_VN collation, accent-insensitive matching."""

from __future__ import annotations

import threading
import unicodedata

import icu

_local = threading.local()  # ICU collators are not thread-safe


def _collator() -> icu.Collator:
    coll = getattr(_local, "collator", None)
    if coll is None:
        coll = _local.collator = icu.Collator.createInstance(icu.Locale("vi_VN"))
    return coll


def nfc(text: str | None) -> str:
    """NFC and trimmed; NFD input from some keyboards and Word becomes the same string."""
    return unicodedata.normalize("NFC", text or "").strip()


def collate_key(text: str) -> bytes:
    return _collator().getSortKey(nfc(text))


def name_sort_key(full_name: str) -> bytes:
    """Vietnamese names sort by given name, then middle names, then family name."""
    parts = nfc(full_name).split()
    if not parts:
        return b""
    reordered = [parts[-1], *parts[1:-1], parts[0]]
    return collate_key(" ".join(reordered))


def sort_names(items, key=lambda x: x):
    return sorted(items, key=lambda item: name_sort_key(key(item)))


def fold(text: str) -> str:
    """Accent- and case-insensitive form for duplicate detection ("Nguyễn" == "NGUYEN")."""
    decomposed = unicodedata.normalize("NFD", nfc(text).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.casefold().split())
