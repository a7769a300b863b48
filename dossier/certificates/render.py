"""Certificates as one PDF, one page per awardee: a pure render(...) -> bytes.

Drawn straight on the canvas (no platypus): a certificate is a few positioned lines, and
a decision may award thousands. Texts that are the same on every page (the agency, the
decision, the signer) are drawn once into a form XObject and placed on each page, so
2,000 pages cost little more than their names.
"""

from __future__ import annotations

import functools
import io
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..documents.text import nfc
from .layout import Element

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

# reportlab is imported where a page is drawn: the certificate pages import this module
# at start-up and need only the placeholders (issue 17: a first request within 1 s).

# What a template may print: {name} -> meaning (shown on the template page).
PLACEHOLDERS = {
    "co_quan_chu_quan": "cơ quan chủ quản (UBND tỉnh …)",
    "co_quan": "tên cơ quan (Sở …)",
    "thu_truong": "chức danh người quyết định (GIÁM ĐỐC SỞ …)",
    "hinh_thuc": "hình thức khen thưởng, danh hiệu (Giấy khen, Danh hiệu “…”)",
    "ho_ten": "họ và tên cá nhân hoặc tên tập thể",
    "chuc_vu": "chức vụ",
    "don_vi": "đơn vị",
    "chuc_vu_don_vi": "chức vụ, đơn vị (bỏ phần trống)",
    "thanh_tich": "thành tích (Đã có thành tích …)",
    "so_quyet_dinh": "số, ký hiệu quyết định (05/QĐ-SKHCN)",
    "ngay_quyet_dinh": "ngày quyết định (05/01/2026)",
    "noi_ngay": "địa danh, ngày tháng năm (Ninh Thuận, ngày 05 tháng 01 năm 2026)",
    "chuc_danh_ky": "chức danh người ký (GIÁM ĐỐC; KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC)",
    "nguoi_ky": "họ và tên người ký",
    "so_thu_tu": "số thứ tự trong danh sách (số vào sổ)",
}
# Values that change from one awardee to the next; every other text is drawn once.
PER_AWARDEE = {"ho_ten", "chuc_vu", "don_vi", "chuc_vu_don_vi", "so_thu_tu", "hinh_thuc"}
LEADING = 1.25  # line height as a multiple of the font size


@dataclass(frozen=True)
class Layout:
    """A template as the renderer needs it (no database object)."""

    key: str
    width_mm: float
    height_mm: float
    offset_x_mm: float
    offset_y_mm: float
    preprinted: bool
    elements: tuple[Element, ...]


@functools.lru_cache(maxsize=1024)
def _parse(text: str) -> tuple:
    return tuple(string.Formatter().parse(text))


def fields(text: str) -> list[str]:
    """The placeholders in a text; ValueError (in Vietnamese) for a malformed or unknown one."""
    names = []
    try:
        parsed = _parse(text)
    except ValueError as exc:
        raise ValueError(f"Dấu ngoặc {{ }} không khớp trong «{text}».") from exc
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            known = ", ".join(f"{{{k}}}" for k in PLACEHOLDERS)
            raise ValueError(f"Trường «{{{name}}}» không có. Các trường dùng được: {known}.")
        names.append(name)
    return names


def fill(text: str, values: dict[str, str], *, upper: bool = False) -> str:
    out = nfc(text.format_map({k: values.get(k, "") for k in fields(text)}))
    return out.upper() if upper else out


class _Wrap:
    """Greedy word wrap with memoised word widths (names repeat across pages)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str, float], float] = {}

    def width(self, s: str, font: str, size: float) -> float:
        key = (s, font, size)
        w = self.cache.get(key)
        if w is None:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            w = self.cache[key] = stringWidth(s, font, size)
        return w

    def lines(self, text: str, font: str, size: float, width: float) -> list[str]:
        out: list[str] = []
        for para in text.split("\n"):
            if width <= 0:
                out.append(para)
                continue
            cur = ""
            for word in para.split():
                cand = f"{cur} {word}" if cur else word
                if cur and self.width(cand, font, size) > width:
                    out.append(cur)
                    cur = word
                else:
                    cur = cand
            out.append(cur)
        return out


def _draw(
    canvas: Canvas, el: Element, text: str, height: float, fonts, wrap: _Wrap, dx=0.0, dy=0.0
) -> None:
    """The element's lines as one text object, written directly: the per-string machinery
    of reportlab's text objects (state, bidi, leading) was most of a page's cost. The
    TrueType subset mapping is reportlab's own (splitString), so fonts embed as usual."""
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics

    name = getattr(fonts, el.style)
    font = pdfmetrics.getFont(name)
    doc = canvas._doc
    x0, y0 = el.x * mm + dx, height - el.y * mm - dy
    ops = []
    for k, line in enumerate(wrap.lines(text, name, el.size, el.width * mm)):
        if not line:
            continue
        width = wrap.width(line, name, el.size)
        x = x0 - (width / 2 if el.align == "center" else width if el.align == "right" else 0)
        ops.append(f"1 0 0 1 {x:.2f} {y0 - k * el.size * LEADING:.2f} Tm")
        for subset, chunk in font.splitString(line, doc):
            ops.append(
                f"{font.getSubsetInternalName(subset, doc)} {el.size:g} Tf "
                f"({canvas._escape(chunk)}) Tj"
            )
    if ops:
        canvas._code.append("BT " + " ".join(ops) + " ET")


def render(pages: Sequence[tuple[Layout, dict[str, str]]], *, title: str, author: str) -> bytes:
    """One page per (layout, values), in order."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from ..documents.fonts import register_fonts

    fonts = register_fonts()
    buf = io.BytesIO()
    canvas = Canvas(
        buf,
        initialFontName=fonts.regular,
        initialFontSize=14,
        pageCompression=1,
        lang="vi-VN",
    )
    canvas.setTitle(nfc(title))
    canvas.setAuthor(nfc(author))
    canvas.setCreator("dossier")
    wrap = _Wrap()
    # layout key -> (its form XObject's name or None, the texts drawn on every page)
    split: dict[str, tuple[str | None, list[Element]]] = {}
    for layout, values in pages:
        w, h = layout.width_mm * mm, layout.height_mm * mm
        canvas.setPageSize((w, h))
        dx, dy = layout.offset_x_mm * mm, layout.offset_y_mm * mm  # the paper's offset
        if layout.key not in split:
            elements = [e for e in layout.elements if not (layout.preprinted and e.fixed)]
            per_page = [bool(PER_AWARDEE & set(fields(e.text))) for e in elements]
            once = [e for e, mine in zip(elements, per_page, strict=True) if not mine]
            name = f"cert{len(split)}" if once else None
            if name:
                canvas.beginForm(name)
                for e in once:
                    _draw(canvas, e, fill(e.text, values, upper=e.upper), h, fonts, wrap)
                canvas.endForm()
            split[layout.key] = (name, [e for e, m in zip(elements, per_page, strict=True) if m])
        name, each = split[layout.key]
        if name:  # the shared texts, moved by the offset like the rest
            canvas._code.append(f"q 1 0 0 1 {dx:.2f} {-dy:.2f} cm")
            canvas.doForm(name)
            canvas._code.append("Q")
        for e in each:
            _draw(canvas, e, fill(e.text, values, upper=e.upper), h, fonts, wrap, dx, dy)
        canvas.showPage()
    if not pages:
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def sample_values() -> dict[str, str]:
    """What the template page's preview prints."""
    return {
        "co_quan_chu_quan": "UBND tỉnh Ninh Thuận",
        "co_quan": "Sở Khoa học và Công nghệ",
        "thu_truong": "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "hinh_thuc": "Giấy khen",
        "ho_ten": "Nguyễn Thị Phượng",
        "chuc_vu": "Chuyên viên",
        "don_vi": "Phòng Quản lý Khoa học",
        "chuc_vu_don_vi": "Chuyên viên, Phòng Quản lý Khoa học",
        "thanh_tich": "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025",
        "so_quyet_dinh": "249/QĐ-SKHCN",
        "ngay_quyet_dinh": "05/01/2026",
        "noi_ngay": "Ninh Thuận, ngày 05 tháng 01 năm 2026",
        "chuc_danh_ky": "GIÁM ĐỐC",
        "nguoi_ky": "Trần Văn Lượng",
        "so_thu_tu": "1",
    }


def join_nonempty(parts: Iterable[str], sep: str = ", ") -> str:
    return sep.join(p.strip() for p in parts if p and p.strip())
