"""Register a serif family with full Vietnamese coverage for reportlab.

reportlab's built-in Times/Helvetica draw boxes for Vietnamese, so we embed Noto Serif
(PyPI ``fontpkg-noto-serif``, OFL). It ships only as a variable font: reportlab reads the
default outlines (wght=400) fine, which gives regular and italic for free, but bold has
to be cut with ``fontTools.varLib.instancer``. That costs ~5 s per face, so it is done
once and cached on disk. If anything in that route fails we fall back to Debian's
Liberation Serif, which is metric-compatible with Times New Roman (what NĐ 30 names).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

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
# Bump when the cutting recipe changes so stale cache files are ignored.
_RECIPE = "1"
LIBERATION_DIR = Path("/usr/share/fonts/truetype/liberation2")

# Every letter of Vietnamese, both cases (NFC). Used by the runtime check and the tests.
_VN_LOWER = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợ"
    "pqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
    "fjwz"  # not Vietnamese letters, but they occur in names of people and places
)
VIETNAMESE_ALPHABET = _VN_LOWER + _VN_LOWER.upper()


@dataclass(frozen=True)
class FontNames:
    """Registered reportlab font names plus where they came from."""

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    source: str  # "noto-serif" or "liberation-serif"
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
    try:
        files, source = _noto_files(), "noto-serif"
        _check_coverage(files)
        _register_faces(files)
    except Exception:  # any failure on the variable-font route -> system fallback
        log.exception("Noto Serif unavailable, falling back to Liberation Serif")
        files, source = _liberation_files(), "liberation-serif"
        _check_coverage(files)
        _register_faces(files)  # same names: overwrites any partial registration
    pdfmetrics.registerFontFamily(
        FAMILY,
        normal=_REG_NAMES["regular"],
        bold=_REG_NAMES["bold"],
        italic=_REG_NAMES["italic"],
        boldItalic=_REG_NAMES["bold_italic"],
    )
    # registerFontFamily also maps each member back to (family, bold, italic), which
    # is what lets <i> inside a bold-styled Paragraph find the bold italic face.
    return FontNames(family=FAMILY, source=source, files=files, **_REG_NAMES)


def _register_faces(files: dict[str, str]) -> None:
    for face in _FACES:
        pdfmetrics.registerFont(TTFont(_REG_NAMES[face], files[face]))


def _noto_dir() -> Path:
    import fontpkg_noto_serif  # imported lazily: missing package -> fallback

    return Path(fontpkg_noto_serif.ROOT) / "files"


def _noto_files() -> dict[str, str]:
    files_dir = _noto_dir()
    upright = next(files_dir.glob("NotoSerif[[]*.ttf"))
    italic = next(files_dir.glob("NotoSerif-Italic[[]*.ttf"))
    return {
        "regular": str(upright),
        "italic": str(italic),
        "bold": str(_cached_instance(upright, "Bold", italic=False)),
        "bold_italic": str(_cached_instance(italic, "Bold Italic", italic=True)),
    }


def _liberation_files() -> dict[str, str]:
    stems = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "BoldItalic"}
    files = {f: str(LIBERATION_DIR / f"LiberationSerif-{s}.ttf") for f, s in stems.items()}
    missing = [p for p in files.values() if not os.path.exists(p)]
    if missing:
        raise RuntimeError(f"no usable Vietnamese font: missing {missing}")
    return files


def _check_coverage(files: dict[str, str]) -> None:
    """Refuse a font set that would draw boxes for any Vietnamese letter."""
    from fontTools.ttLib import TTFont as FtFont

    for face, path in files.items():
        with open(path, "rb") as fh:  # ours to close, even if fontTools raises
            cmap = FtFont(fh, lazy=True).getBestCmap()
        missing = sorted({ch for ch in VIETNAMESE_ALPHABET if ord(ch) not in cmap})
        if missing:
            raise RuntimeError(f"{path} ({face}) lacks {''.join(missing)!r}")


def cache_dirs() -> list[Path]:
    """Candidate cache directories, preferred first."""
    env = os.environ.get("DOSSIER_FONT_CACHE")
    first = Path(env) if env else Path.home() / ".cache" / "dossier-fonts"
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    return [first, Path(tempfile.gettempdir()) / f"dossier-fonts-{uid}"]


def _cached_instance(src: Path, style: str, *, italic: bool) -> Path:
    # The file name carries a digest of the source so a font upgrade invalidates it.
    digest = hashlib.sha256(src.read_bytes()).hexdigest()[:16]
    name = f"NotoSerif-{style.replace(' ', '')}-{digest}-r{_RECIPE}.ttf"
    dirs = cache_dirs()
    for d in dirs:  # a read-only dir may still hold a valid file from an earlier run
        if _loads(d / name):
            return d / name
    font = _cut_bold(src, style, italic=italic)
    try:
        for d in dirs:
            try:
                d.mkdir(parents=True, exist_ok=True)
                return _atomic_save(font, d / name)
            except OSError as exc:
                log.warning("font cache %s not writable (%s), trying next", d, exc)
        raise RuntimeError("no writable font cache directory")
    finally:
        font.close()  # it reads src lazily until saved


def _loads(path: Path) -> bool:
    """True if path is a readable TTF (guards against a damaged cache file)."""
    from fontTools.ttLib import TTFont as FtFont

    if not path.is_file():
        return False
    try:
        with open(path, "rb") as fh:  # ours to close, even if fontTools raises
            FtFont(fh, lazy=True)["name"].getDebugName(6)
        return True
    except Exception:
        log.warning("ignoring unreadable cached font %s", path)
        return False


def _cut_bold(src: Path, style: str, *, italic: bool):
    """Pin every axis (static font) at wght=700 and give it its own names.

    The result still reads `src` lazily: the caller closes it once saved."""
    from fontTools.ttLib import TTFont as FtFont
    from fontTools.varLib import instancer

    font = instancer.instantiateVariableFont(FtFont(src), {"wght": 700, "wdth": 100}, inplace=True)
    ps_name = "NotoSerif-" + style.replace(" ", "")
    name = font["name"]
    # Distinct PostScript name: reportlab writes it as BaseFont, and viewers/pdftotext
    # conflate two embedded fonts that share one.
    for rec_id in (16, 17, 21, 22, 25):  # typographic/WWS/variations prefixes: drop
        name.removeNames(nameID=rec_id)
    name.setName("Noto Serif", 1, 3, 1, 0x409)
    name.setName(style, 2, 3, 1, 0x409)
    name.setName(f"Noto Serif {style}", 4, 3, 1, 0x409)
    name.setName(ps_name, 6, 3, 1, 0x409)
    name.setName(f"{_RECIPE};{ps_name}", 3, 3, 1, 0x409)
    os2, head = font["OS/2"], font["head"]
    os2.usWeightClass = 700
    # fsSelection: bit0 italic, bit5 bold, bit6 regular; macStyle: bit0 bold, bit1 italic
    os2.fsSelection = (os2.fsSelection & ~0b1100001) | 0b100000 | (1 if italic else 0)
    head.macStyle = 0b1 | (0b10 if italic else 0)
    return font


def _atomic_save(font, dest: Path) -> Path:
    # Write next to the destination and rename: concurrent processes either see no
    # file or a complete one, never a half-written TTF.
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.stem}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            font.save(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; a shared cache must be readable
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return dest
