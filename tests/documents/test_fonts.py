"""Font registration: Vietnamese coverage, distinct names, idempotence, the disk cache."""

import os
import subprocess
import sys
import threading

import pytest
from fontTools.ttLib import TTFont
from reportlab.pdfbase import pdfmetrics

from dossier.documents import fonts
from dossier.documents.fonts import VIETNAMESE_ALPHABET, register_fonts

SAMPLE = "ẮẰẲẴẶ ặ Ỷ ỹ Đ đ Ơ ư Ừ Ữ Ự ỗ Ộ"


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


def test_noto_is_used_and_names_are_distinct():
    names = register_fonts()
    assert names.source == "noto-serif"
    ps = {}
    for face, p in names.files.items():
        with TTFont(p, lazy=True) as font:
            ps[face] = font["name"].getDebugName(6)
    assert len(set(ps.values())) == 4, ps
    with TTFont(names.files["bold"], lazy=True) as bold:
        assert "fvar" not in bold and bold["OS/2"].usWeightClass == 700
    registered = {
        pdfmetrics.getFont(n).face.name
        for n in (names.regular, names.bold, names.italic, names.bold_italic)
    }
    assert len(registered) == 4


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


def test_liberation_fallback_covers_vietnamese():
    if not os.path.exists(fonts.LIBERATION_DIR / "LiberationSerif-Regular.ttf"):
        pytest.skip("fonts-liberation2 not installed")
    fonts._check_coverage(fonts._liberation_files())  # raises if a letter is missing


def _fake_cut(src, style, *, italic):
    # Stand-in for the 5-second instancer run: any valid TTF exercises the cache logic.
    return TTFont(str(fonts.LIBERATION_DIR / "LiberationSerif-Bold.ttf"))


def test_cache_written_atomically_and_reused(tmp_path, monkeypatch):
    if not os.path.exists(fonts.LIBERATION_DIR / "LiberationSerif-Bold.ttf"):
        pytest.skip("fonts-liberation2 not installed")
    calls = []
    monkeypatch.setenv("DOSSIER_FONT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(fonts.tempfile, "tempdir", str(tmp_path))  # no stray real cache
    monkeypatch.setattr(fonts, "_cut_bold", lambda *a, **k: calls.append(1) or _fake_cut(*a, **k))
    src = fonts._noto_dir() / "NotoSerif[wdth,wght].ttf"
    first = fonts._cached_instance(src, "Bold", italic=False)
    assert first.parent == tmp_path / "cache"
    assert os.listdir(first.parent) == [first.name]  # no temp file left behind
    assert fonts._cached_instance(src, "Bold", italic=False) == first
    assert len(calls) == 1
    first.write_bytes(b"truncated")  # a damaged cache file is ignored and re-cut
    assert fonts._cached_instance(src, "Bold", italic=False) == first
    assert len(calls) == 2
    with TTFont(first) as font:
        assert font["name"].getDebugName(6)


def test_cache_falls_back_when_not_writable(tmp_path, monkeypatch):
    if not os.path.exists(fonts.LIBERATION_DIR / "LiberationSerif-Bold.ttf"):
        pytest.skip("fonts-liberation2 not installed")
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("DOSSIER_FONT_CACHE", str(blocker / "cache"))  # mkdir fails
    monkeypatch.setattr(fonts.tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(fonts, "_cut_bold", _fake_cut)
    src = fonts._noto_dir() / "NotoSerif[wdth,wght].ttf"
    path = fonts._cached_instance(src, "Bold", italic=False)
    assert path.parent.parent == tmp_path / "tmp"


FALLBACK_SCRIPT = """
import logging, sys
logging.disable(logging.CRITICAL)
import dossier.documents.fonts as f
def broken():
    raise OSError("simulated: variable font route unavailable")
f._noto_files = broken
from dossier.documents import build_pdf, para, register_fonts
assert register_fonts().source == "liberation-serif"
sys.stdout.buffer.write(build_pdf([para("Đặng Văn Thắng", "signer")], title="t", author="a"))
"""


def test_fallback_to_liberation_end_to_end(tmp_path):
    # In a subprocess: the fallback re-registers the shared names, which must not leak.
    if not os.path.exists(fonts.LIBERATION_DIR / "LiberationSerif-Bold.ttf"):
        pytest.skip("fonts-liberation2 not installed")
    pdf = subprocess.run(
        [sys.executable, "-c", FALLBACK_SCRIPT], check=True, capture_output=True
    ).stdout
    assert pdf.startswith(b"%PDF")
    assert b"LiberationSerif-Bold" in pdf and b"NotoSerif" not in pdf
