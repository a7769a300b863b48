"""Content-addressed uploads in the blob store (dossier/blobs.py): key `upload/<sha256>`.

An upload is read into memory (at most MAX_UPLOAD_MB: the limit cuts it off on the way),
hashed on the way. Its type is read from the content, never from the name or the
browser's claim. Only an accepted file reaches the store, which every app server shares
(the database, a shared directory, or S3): an interrupted or refused upload leaves nothing.
Files are never deleted here: several attachments may share one hash.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app

from .. import blobs
from ..errors import DomainError
from ..text import nfc

CHUNK = 64 * 1024
HEAD = 8192  # what filetype needs to recognise a format
MAX_FILENAME = 200
SHA256_RE = re.compile(r"[0-9a-f]{64}")

# Allowed formats: detected extension -> (content type, extensions a name may carry).
ALLOWED = {
    "pdf": ("application/pdf", ("pdf",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    "jpg": ("image/jpeg", ("jpg", "jpeg")),
    "png": ("image/png", ("png",)),
}
ALLOWED_WORDS = "PDF, DOCX, JPEG hoặc PNG"
ACCEPT = ".pdf,.docx,.jpg,.jpeg,.png"

# How the detected reality is named to the user.
LABELS = {
    "exe": "chương trình chạy được .exe",
    "elf": "chương trình chạy được",
    "zip": "tệp nén ZIP",
    "rar": "tệp nén RAR",
    "7z": "tệp nén 7z",
    "gz": "tệp nén GZIP",
    "doc": "văn bản Word cũ .doc",
    "xls": "bảng tính Excel cũ .xls",
    "xlsx": "bảng tính Excel .xlsx",
    "ppt": "bản trình chiếu PowerPoint cũ .ppt",
    "pptx": "bản trình chiếu PowerPoint .pptx",
    "odt": "văn bản OpenDocument .odt",
    "gif": "ảnh GIF",
    "webp": "ảnh WebP",
    "tif": "ảnh TIFF",
    "bmp": "ảnh BMP",
    "heic": "ảnh HEIC của điện thoại iPhone",
    "mp4": "video MP4",
}


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    content_type: str
    filename: str


def key_of(sha256: str) -> str:
    if not isinstance(sha256, str) or not SHA256_RE.fullmatch(sha256):
        raise ValueError("not a SHA-256 hex digest")
    return f"upload/{sha256}"


def path_of(sha256: str) -> Path:
    """Where the directory store keeps an upload (that backend only)."""
    key = key_of(sha256)
    return blobs.DirectoryStore(current_app.config["UPLOAD_FOLDER"]).path(key)


def read(sha256: str) -> bytes | None:
    """The stored bytes, or None when the store has lost them."""
    return blobs.store().get(key_of(sha256))


def clean_filename(raw: str | None, default: str = "tệp") -> str:
    """NFC, no directories, no control characters, at most 200 characters; keeps Vietnamese."""
    name = re.split(r"[\\/]", nfc(raw))[-1]
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    if not name:
        return default
    if len(name) > MAX_FILENAME:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_FILENAME - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:MAX_FILENAME]
    return name


def _mb(max_bytes: int) -> str:
    mb = max_bytes / (1024 * 1024)
    return f"{mb:g}".replace(".", ",")


def _describe(head: bytes, size: int) -> str:
    if size == 0:
        return "tệp rỗng, 0 byte"
    kind = filetype.guess(head)
    if kind is not None:
        return LABELS.get(kind.extension, f"định dạng {kind.extension.upper()}, {kind.mime}")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut at the end of the head is still text.
        try:
            head[:-4].decode("utf-8")
        except UnicodeDecodeError:
            return "định dạng không nhận ra được"
    return "văn bản thuần, không định dạng"


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(
            io.BytesIO(data)
        ) as archive:  # reads the directory only, decompresses nothing
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _detect(data: bytes, head: bytes) -> str | None:
    """The allowed format of the content ('pdf', 'docx', 'jpg', 'png'), or None."""
    kind = filetype.guess(head) if head else None
    if kind is None:
        return None
    if kind.extension in ("docx", "zip"):
        return "docx" if _is_docx(data) else None
    return kind.extension if kind.extension in ALLOWED else None


def _named_for(name: str, fmt: str) -> str:
    """The name keeps its extension if it tells the truth; otherwise the true one is added."""
    extensions = ALLOWED[fmt][1]
    if name.rpartition(".")[2].lower() in extensions and "." in name:
        return name
    return clean_filename(f"{name[: MAX_FILENAME - 6]}.{extensions[0]}")


def store(file_storage, *, max_bytes: int) -> StoredFile:
    """Read, hash, check size and type, then put into the store under the content's hash."""
    name = clean_filename(getattr(file_storage, "filename", None))
    digest, size, chunks = hashlib.sha256(), 0, []
    while chunk := file_storage.stream.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise DomainError(
                f"Tệp vượt quá dung lượng cho phép (tối đa {_mb(max_bytes)} MB): «{name}» "
                "chưa được lưu. Hãy giảm dung lượng (quét ở độ phân giải thấp hơn hoặc "
                "chia thành nhiều tệp) rồi tải lên lại."
            )
        digest.update(chunk)
        chunks.append(chunk)
    data = b"".join(chunks)
    head = data[:HEAD]
    fmt = _detect(data, head)
    if fmt is None:
        raise DomainError(
            f"Tệp «{name}» không phải {ALLOWED_WORDS} "
            f"(nội dung thực là {_describe(head, size)}). Tệp chưa được lưu."
        )
    sha = digest.hexdigest()
    blobs.store().put(key_of(sha), data)  # same content already stored: one copy kept
    return StoredFile(
        sha256=sha, size=size, content_type=ALLOWED[fmt][0], filename=_named_for(name, fmt)
    )
