"""Charts as SVG, drawn on the server: horizontal bars with their numbers, no script, no
style attribute (the page's CSP holds, and the file opens anywhere once downloaded); as PNG,
that SVG rasterised by CairoSVG."""

from __future__ import annotations

import re
from html import escape

from .queries import Series

WIDTH = 720
BAR = 22
GAP = 8
LABEL_W = 300
TOP = 44
MAX_2X = 3000
PALETTE = ("#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997", "#6c757d")


def _cut(text: str, n: int = 46) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def bar_chart(series: Series, subtitle: str = "") -> str:
    rows = series.rows or [("", "Không có số liệu", 0)]
    height = TOP + len(rows) * (BAR + GAP) + 30
    peak = max((r[2] for r in rows), default=0) or 1
    span = WIDTH - LABEL_W - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="Liberation Sans, Arial, sans-serif" '
        f'role="img" aria-label="{escape(series.title)}">',
        f"<title>{escape(series.title)}</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="8" y="20" font-size="15" font-weight="bold">{escape(series.title)}</text>',
    ]
    if subtitle:
        parts.append(f'<text x="8" y="36" font-size="11" fill="#555">{escape(subtitle)}</text>')
    for i, (_, label, count) in enumerate(rows):
        y = TOP + i * (BAR + GAP)
        w = round(span * count / peak)
        colour = PALETTE[i % len(PALETTE)]
        parts += [
            f'<text x="{LABEL_W - 6}" y="{y + BAR * 0.7:.1f}" font-size="12" '
            f'text-anchor="end">{escape(_cut(label))}</text>',
            f'<rect x="{LABEL_W}" y="{y}" width="{w}" height="{BAR}" fill="{colour}"/>',
            f'<text x="{LABEL_W + w + 6}" y="{y + BAR * 0.7:.1f}" font-size="12" '
            f'data-count="{count}">{count}</text>',
        ]
    total_y = TOP + len(rows) * (BAR + GAP) + 18
    parts.append(
        f'<text x="{LABEL_W}" y="{total_y}" font-size="12" fill="#333">Tổng: {series.total}</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def to_png(svg: str, scale: float | None = None) -> bytes:
    """The SVG rasterised by CairoSVG (cairo draws the text with the system's Liberation
    Sans, which covers Vietnamese): twice the size for sharp print, or once for a chart
    taller than MAX_2X pixels (400 units' bars) so the image stays a few MB in memory."""
    import cairosvg  # loaded on the first PNG only

    if scale is None:
        height = int(re.search(r'height="(\d+)"', svg).group(1))
        scale = 2 if height <= MAX_2X else 1
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale)
