"""Font registration: Liberation Serif (Times New Roman metrics), Vietnamese coverage,
distinct names, idempotence, and a clear message when the fonts are missing."""

import subprocess
import sys
import threading

import pytest
from fontTools.ttLib import TTFont
from reportlab.pdfbase import pdfmetrics

from dossier.documents import fonts
from dossier.documents.fonts import VIETNAMESE_ALPHABET, FontMissing, register_fonts

SAMPLE = "ẮẰẲẴẶ ặ Ỷ ỹ Đ đ Ơ ư Ừ Ữ Ự ỗ Ộ"
PS_NAMES = {
    "regular": "LiberationSerif",
    "bold": "LiberationSerif-Bold",
    "italic": "LiberationSerif-Italic",
    "bold_italic": "LiberationSerif-BoldItalic",
}


def test_alphabet_is_complete():
    lower = VIETNAMESE_ALPHABET[: len(VIETNAMESE_ALPHABET) // 2]
    # 12 vowels x 6 tones + 17 consonants, plus f j w z for foreign names
    assert len(lower) == len(set(lower)) == 12 * 6 + 17 + 4
    assert all(ch in VIETNAMESE_ALPHABET for ch in SAMPLE if not ch.isspace())


@pytest.mark.parametrize("face", ["regular", "bold", "italic", "bold_italic"])
def test_every_vietnamese_letter_in_cmap(face):
    path = register_fonts().files[face]
    with TTFont(path, lazy=True) as font:
        cmap = font.getBestCmap()
    missing = [
        ch for ch in VIETNAMESE_ALPHABET + SAMPLE if not ch.isspace() and ord(ch) not in cmap
    ]
    assert not missing, f"{face} ({path}) lacks {''.join(missing)}"


def test_liberation_serif_is_used_with_distinct_names():
    names = register_fonts()
    assert names.source == "liberation-serif"
    ps = {}
    for face, p in names.files.items():
        with TTFont(p, lazy=True) as font:
            ps[face] = font["name"].getDebugName(6)
    assert ps == PS_NAMES
    registered = {
        pdfmetrics.getFont(n).face.name
        for n in (names.regular, names.bold, names.italic, names.bold_italic)
    }
    assert len(registered) == 4


def test_times_new_roman_metrics():
    """Liberation Serif's advance widths are Times New Roman's: 'The quick brown fox' at
    1000 units per em measures what Times New Roman measures (Word's line breaks)."""
    with TTFont(register_fonts().files["regular"], lazy=True) as font:
        upem = font["head"].unitsPerEm
        cmap, hmtx = font.getBestCmap(), font["hmtx"]
        # Times New Roman's published advance widths (units of 2048): space 512, 'a' 909,
        # 'H' 1479, 'W' 1933, 'm' 1593.
        for ch, tnr in {" ": 512, "a": 909, "H": 1479, "W": 1933, "m": 1593}.items():
            assert hmtx[cmap[ord(ch)]][0] * 2048 // upem == tnr, ch


def test_register_is_idempotent_and_thread_safe():
    results = []
    threads = [threading.Thread(target=lambda: results.append(register_fonts())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(r) for r in results}) == 1
    assert register_fonts() is results[0]


def test_family_mapping_for_markup():
    from reportlab.lib.fonts import ps2tt, tt2ps

    n = register_fonts()
    assert tt2ps(n.family, 1, 0) == n.bold
    assert tt2ps(n.family, 1, 1) == n.bold_italic
    # how paraparser resolves <i> inside a bold-styled paragraph
    family, bold, _ = ps2tt(n.bold)
    assert tt2ps(family, bold, 1) == n.bold_italic


def test_font_dir_setting_wins(tmp_path, monkeypatch):
    for face, path in register_fonts().files.items():
        (tmp_path / f"LiberationSerif-{fonts._STEMS[face]}.ttf").symlink_to(path)
    monkeypatch.setenv("DOSSIER_FONT_DIR", str(tmp_path))
    assert set(fonts.font_files().values()) == {
        str(tmp_path / f"LiberationSerif-{s}.ttf") for s in fonts._STEMS.values()
    }


def test_missing_fonts_say_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_FONT_DIR", str(tmp_path))
    monkeypatch.setattr(fonts, "SEARCH_DIRS", ())
    with pytest.raises(FontMissing, match="fonts-liberation2"):
        fonts.font_files()


def test_a_font_without_vietnamese_is_refused(tmp_path):
    # Liberation Sans Mono-like stand-in: a TTF stripped of 'ạ' must be refused.
    path = tmp_path / "LiberationSerif-Regular.ttf"
    with TTFont(register_fonts().files["regular"]) as src:
        for table in src["cmap"].tables:
            table.cmap.pop(ord("ạ"), None)
        src.save(path)
    with pytest.raises(FontMissing, match="ạ"):
        fonts._check_coverage({"regular": str(path)})


NO_FONT_SCRIPT = """
import os, sys
import dossier.documents.fonts as f
f.SEARCH_DIRS = ()
from dossier.documents import build_pdf, para
try:
    build_pdf([para("Đặng Văn Thắng")], title="t", author="a")
except f.FontMissing as exc:
    print(exc)
"""


def test_no_fonts_no_pdf_and_a_clear_message(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", NO_FONT_SCRIPT],
        check=True,
        capture_output=True,
        text=True,
        env={"DOSSIER_FONT_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    ).stdout
    assert "Không tìm thấy phông Liberation Serif" in out and "fonts-liberation2" in out
