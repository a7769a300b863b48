"""Register Liberation Serif, the metric twin of Times New Roman, for reportlab.

Nghị định 30/2020 asks for Times New Roman. Liberation Serif (2.x, SIL OFL) has the same
advance widths glyph for glyph, so a line breaks in our PDF where it breaks in the DOCX
that Word sets in Times New Roman, and it covers every Vietnamese letter. reportlab's
built-in Times draws boxes for Vietnamese, so the TTF files are embedded (subset).

The files come from Debian's ``fonts-liberation2`` (scripts/system-deps.sh installs it in
both modes); ``DOSSIER_FONT_DIR`` points elsewhere (a directory holding the four
LiberationSerif-*.ttf files). Nothing is cut or cached: registering is a few milliseconds.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# Registered (reportlab-internal) names are neutral so that styles do not care which
# font files ended up behind them.
FAMILY = "DossierSerif"
_FACES = ("regular", "bold", "italic", "bold_italic")
_REG_NAMES = {
    "regular": FAMILY,
    "bold": f"{FAMILY}-Bold",
    "italic": f"{FAMILY}-Italic",
    "bold_italic": f"{FAMILY}-BoldItalic",
}
_STEMS = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "BoldItalic"}
# Debian/Ubuntu (fonts-liberation2, then the older fonts-liberation), Fedora, Arch.
SEARCH_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/liberation-serif"),
    Path("/usr/share/fonts/liberation"),
    Path("/usr/share/fonts/TTF"),
)
INSTALL_HINT = "cài gói fonts-liberation2 (apt-get install fonts-liberation2)"

# Every letter of Vietnamese, both cases (NFC). Used by the runtime check and the tests.
_VN_LOWER = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợ"
    "pqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
    "fjwz"  # not Vietnamese letters, but they occur in names of people and places
)
VIETNAMESE_ALPHABET = _VN_LOWER + _VN_LOWER.upper()


class FontMissing(RuntimeError):
    """Liberation Serif is not installed (or lacks a Vietnamese letter)."""


@dataclass(frozen=True)
class FontNames:
    """Registered reportlab font names plus where they came from."""

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    source: str  # "liberation-serif"
    files: dict[str, str]  # face -> path of the TTF actually registered


_lock = threading.Lock()
_names: FontNames | None = None


def register_fonts() -> FontNames:
    """Register the family once per process; later calls return the cached result.

    Thread-safe: the first caller does the work under a lock, the rest see the result.
    """
    global _names
    if _names is not None:  # fast path, no lock: assignment of a reference is atomic
        return _names
    with _lock:
        if _names is None:
            _names = _register()
        return _names


def _register() -> FontNames:
    files = font_files()
    _check_coverage(files)
    for face in _FACES:
        pdfmetrics.registerFont(TTFont(_REG_NAMES[face], files[face]))
    # registerFontFamily also maps each member back to (family, bold, italic), which
    # is what lets <i> inside a bold-styled Paragraph find the bold italic face.
    pdfmetrics.registerFontFamily(
        FAMILY,
        normal=_REG_NAMES["regular"],
        bold=_REG_NAMES["bold"],
        italic=_REG_NAMES["italic"],
        boldItalic=_REG_NAMES["bold_italic"],
    )
    return FontNames(family=FAMILY, source="liberation-serif", files=files, **_REG_NAMES)


def font_dirs() -> list[Path]:
    """Where to look, preferred first: DOSSIER_FONT_DIR, then the distributions' paths."""
    env = os.environ.get("DOSSIER_FONT_DIR")
    return ([Path(env)] if env else []) + list(SEARCH_DIRS)


def font_files() -> dict[str, str]:
    """face -> path of LiberationSerif-<Face>.ttf, from the first directory holding all four."""
    for d in font_dirs():
        files = {f: d / f"LiberationSerif-{s}.ttf" for f, s in _STEMS.items()}
        if all(p.is_file() for p in files.values()):
            return {f: str(p) for f, p in files.items()}
    looked = ", ".join(str(d) for d in font_dirs())
    raise FontMissing(f"Không tìm thấy phông Liberation Serif (đã tìm ở {looked}): {INSTALL_HINT}.")


def _check_coverage(files: dict[str, str]) -> None:
    """Refuse a font set that would draw boxes for any Vietnamese letter (Liberation 1.x)."""
    from fontTools.ttLib import TTFont as FtFont

    for face, path in files.items():
        with FtFont(path, lazy=True) as font:  # closes the file it opened
            cmap = font.getBestCmap()
        missing = sorted({ch for ch in VIETNAMESE_ALPHABET if ord(ch) not in cmap})
        if missing:
            raise FontMissing(f"{path} ({face}) thiếu {''.join(missing)!r}: {INSTALL_HINT}.")
