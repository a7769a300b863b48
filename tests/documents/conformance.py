"""Read a generated PDF back as a reader (or a Văn thư with a ruler) sees it.

Words with their positions, sizes and fonts come from pdfplumber; the fonts' embedding
from poppler's pdffonts. Positions are in millimetres from the page's top left corner,
as NĐ 30/2020 Phụ lục I states its margins. `DOC_SAMPLES_DIR` set: every document read
is also saved there, with its first two pages as PNG (pdftoppm -r 60), to look at.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

MM = 72 / 25.4
PDFFONTS = shutil.which("pdffonts")
# Liberation Serif is Times New Roman's metric twin; a subset tag may precede the name.
ALLOWED_FONT = re.compile(
    r"^([A-Z]{6}\+)?(LiberationSerif|TimesNewRoman(PS)?(MT)?)"
    r"(-(Bold|Italic|BoldItalic)(MT)?)?$"
)


@dataclass
class Span:
    """Consecutive words on one line: a phrase found in the document."""

    text: str
    page: int  # 1-based
    x0: float  # mm from the left edge
    x1: float
    top: float  # mm from the top edge
    bottom: float
    fonts: frozenset[str]
    size: float  # the largest size in the span, pt

    @property
    def bold(self) -> bool:
        return all("Bold" in f for f in self.fonts)

    @property
    def italic(self) -> bool:
        return all("Italic" in f for f in self.fonts)

    @property
    def regular(self) -> bool:
        return not any("Bold" in f or "Italic" in f for f in self.fonts)

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Doc:
    pdf: bytes
    pages: list[list[list[dict]]]  # page -> lines -> words (pdfplumber dicts, in mm)
    sizes: list[tuple[float, float]]  # page width, height in mm
    graphics: list[tuple[int, float, float, float, float]]  # page, x0, x1, top, bottom (mm)

    @property
    def text(self) -> str:
        return "\n".join(" ".join(w["text"] for w in line) for p in self.pages for line in p)

    @property
    def flat(self) -> str:
        return " ".join(self.text.split())

    def page_text(self, page: int) -> str:
        return " ".join(w["text"] for line in self.pages[page - 1] for w in line)

    def find_all(self, phrase: str, page: int | None = None) -> list[Span]:
        phrase = " ".join(unicodedata.normalize("NFC", phrase).split())
        found = []
        for p, lines in enumerate(self.pages, start=1):
            if page is not None and p != page:
                continue
            for line in lines:
                texts = [w["text"] for w in line]
                for i in range(len(line)):
                    for j in range(i, len(line)):
                        acc = " ".join(texts[i : j + 1])
                        if phrase in acc:
                            # the smallest run of words that holds the phrase, word i needed
                            if j == i or phrase not in " ".join(texts[i + 1 : j + 1]):
                                found.append(_span(acc, p, line[i : j + 1]))
                            break
                        if len(acc) > len(phrase) + 60:
                            break
        return found

    def find(self, phrase: str, page: int | None = None) -> Span:
        spans = self.find_all(phrase, page)
        assert spans, f"«{phrase}» not found in:\n{self.text[:3000]}"
        return spans[0]


def _span(text: str, page: int, words: list[dict]) -> Span:
    return Span(
        text=text,
        page=page,
        x0=min(w["x0"] for w in words),
        x1=max(w["x1"] for w in words),
        top=min(w["top"] for w in words),
        bottom=max(w["bottom"] for w in words),
        fonts=frozenset(w["fontname"] for w in words),
        size=max(w["size"] for w in words),
    )


def read(pdf: bytes, name: str | None = None) -> Doc:
    if name:
        save_sample(pdf, name)
    pages, sizes, graphics = [], [], []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for k, page in enumerate(doc.pages, start=1):
            sizes.append((page.width / MM, page.height / MM))
            words = page.extract_words(extra_attrs=["fontname", "size"], use_text_flow=False)
            for w in words:
                w["text"] = unicodedata.normalize("NFC", w["text"])
                for key in ("x0", "x1", "top", "bottom"):
                    w[key] = w[key] / MM
            lines: dict[int, list[dict]] = {}
            for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
                key = next((t for t in lines if abs(t / 4 - w["bottom"]) < 0.8), None)
                lines.setdefault(key if key is not None else round(w["bottom"] * 4), []).append(w)
            pages.append([sorted(ws, key=lambda w: w["x0"]) for _, ws in sorted(lines.items())])
            for obj in [*page.rects, *page.lines]:
                graphics.append(
                    (k, obj["x0"] / MM, obj["x1"] / MM, obj["top"] / MM, obj["bottom"] / MM)
                )
    return Doc(pdf, pages, sizes, graphics)


def pdf_fonts(pdf: bytes) -> list[dict]:
    """pdffonts' table: one dict (name, type, emb) per font the PDF declares."""
    assert PDFFONTS, "pdffonts (poppler-utils) is needed"
    out = subprocess.run(
        [PDFFONTS, "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    rows = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        # name type [type2] encoding emb sub uni object ID: read emb from the right
        rows.append({"name": cols[0], "type": cols[1], "emb": cols[-5]})
    return rows


def assert_fonts(pdf: bytes) -> None:
    """Every font embedded, every font Liberation Serif (Times New Roman metrics), and no
    stray Helvetica (reportlab's default)."""
    rows = pdf_fonts(pdf)
    assert rows, "no font at all"
    bad = [r for r in rows if r["emb"] != "yes" or not ALLOWED_FONT.match(r["name"])]
    assert not bad, f"fonts not embedded or not Times-compatible: {bad}"


def assert_margins(
    doc: Doc,
    *,
    left=(30, 35),
    right=(15, 20),
    top=(20, 25),
    bottom_min=20,
    skip_top=("DỰ THẢO",),
) -> None:
    """Text and rules inside the NĐ 30 margins (mm); the leftmost and rightmost text at
    the margin itself (a text block 160–165 mm wide), the first line of page 1 within the
    top margin's range. Page numbers (from page 2) and the draft stamp sit in the top
    margin by design and are left out."""
    tol = 0.6
    xs0, xs1 = [], []
    for p, lines in enumerate(doc.pages, start=1):
        width, height = doc.sizes[p - 1]
        body = [
            ln
            for ln in lines
            if not (
                ln[0]["bottom"] < top[0]
                and (" ".join(w["text"] for w in ln).isdigit() or _joined(ln) in skip_top)
            )
        ]
        for ln in body:
            x0, x1 = ln[0]["x0"], max(w["x1"] for w in ln)
            xs0.append(x0)
            xs1.append(x1)
            assert x0 >= left[0] - tol, (p, _joined(ln), x0)
            assert x1 <= width - right[0] + tol, (p, _joined(ln), x1)
            assert ln[0]["top"] >= top[0] - tol, (p, _joined(ln), ln[0]["top"])
            assert max(w["bottom"] for w in ln) <= height - bottom_min + tol, (p, _joined(ln))
        if p == 1 and body:
            assert body[0][0]["top"] <= top[1], ("first line too low", body[0][0]["top"])
    for p, x0, x1, t, b in doc.graphics:
        width, height = doc.sizes[p - 1]
        if t < top[0] and b < top[0]:
            continue  # the draft stamp's box
        assert x0 >= left[0] - tol and x1 <= width - right[0] + tol, ("rule", p, x0, x1)
    width = doc.sizes[0][0]
    assert left[0] - tol <= min(xs0) <= left[1], ("left margin", min(xs0))
    assert width - right[1] - tol <= max(xs1) <= width - right[0] + tol, ("right", max(xs1))


def _joined(line: list[dict]) -> str:
    return " ".join(w["text"] for w in line)


def assert_order(doc: Doc, phrases: list[str]) -> None:
    """Each phrase first appears after the previous one (page, then top, then left)."""
    where = [(s.page, round(s.top, 1), s.x0) for s in (doc.find(p) for p in phrases)]
    for k in range(1, len(phrases)):
        a, b = where[k - 1], where[k]
        assert a < b, f"«{phrases[k - 1]}» {a} should come before «{phrases[k]}» {b}"


def assert_centred(doc: Doc, span: Span, tol: float = 1.5) -> None:
    """Centred on the text block (30 mm to page width - 15 mm)."""
    width = doc.sizes[span.page - 1][0]
    mid = (30 + width - 15) / 2
    assert abs(span.centre - mid) <= tol, (span.text, span.centre, mid)


def save_sample(pdf: bytes, name: str) -> None:
    out = os.environ.get("DOC_SAMPLES_DIR")
    if not out:
        return
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", "-", str(folder / name)],
            input=pdf,
            check=True,
        )
