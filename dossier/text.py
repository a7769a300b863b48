"""Vietnamese text: NFC normalisation, ICU vi_VN collation, accent-insensitive matching."""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import icu

_local = threading.local()  # ICU collators are not thread-safe


def _collator() -> icu.Collator:
    coll = getattr(_local, "collator", None)
    if coll is None:
        import icu  # on first use: ~9 ms of every start otherwise (issue 17)

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


# Control characters: C0 (NUL included), DEL and C1. Only a multi-line field (a textarea)
# may hold tab, line feed and carriage return. PostgreSQL refuses NUL in text; XML (so
# XLSX and DOCX) refuses the rest of C0; none of them means anything in a name or a reason.
_CONTROL_ANY = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_chars(value: str | None, *, multiline: bool = False) -> bool:
    if not value:
        return False
    return (_CONTROL_MULTILINE if multiline else _CONTROL_ANY).search(value) is not None


def control_char_message(label: str, *, multiline: bool = False) -> str:
    hint = "" if multiline else " (trường một dòng: không nhận dấu xuống dòng hay phím Tab)"
    return (
        f"Trường «{label}» chứa ký tự điều khiển không hợp lệ{hint}. Hãy xóa ký tự đó "
        "(thường do dán từ văn bản khác) rồi gửi lại; chưa có gì được lưu."
    )


# What XML 1.0 cannot hold (XLSX and DOCX are XML): C0 but tab, LF and CR; lone surrogates;
# U+FFFE and U+FFFF. Stored data is shown with U+FFFD in their place, visibly, never dropped
# silently and never a failed document.
ILLEGAL_XML_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def xml_safe(text: str) -> str:
    return ILLEGAL_XML_RE.sub(REPLACEMENT, text)
