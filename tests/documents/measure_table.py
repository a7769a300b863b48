"""Time wrapped_table against the same LongTable fed plain, unwrapped strings.

Not a test (no test_ prefix): run `python tests/documents/measure_table.py [rows] [runs]`.
Each figure is the median wall time of building a whole PDF (table construction,
wrapping where applicable, layout and rendering) in a warm process: fonts are
registered and the bold cut is cached before timing starts.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import LongTable

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for sample_doc when run as a script

from sample_doc import COL_WIDTHS_MM, HEADER, sample_rows  # noqa: E402

from dossier.documents import build_pdf, register_fonts, wrapped_table  # noqa: E402
from dossier.documents.table import table_style  # noqa: E402


def plain_table(rows: list[list[str]]) -> LongTable:
    """The baseline: same data, widths and style, strings not wrapped (they overflow)."""
    data = [HEADER, *rows]
    table = LongTable(data, colWidths=[w * mm for w in COL_WIDTHS_MM], repeatRows=1)
    table.setStyle(
        table_style(len(data), [], font_size=12, leading=14.4, align=["CENTER"] + ["LEFT"] * 4)
    )
    return table


def wrapped(rows: list[list[str]]) -> LongTable:
    return wrapped_table(HEADER, rows, COL_WIDTHS_MM)


def median_time(make, rows: list[list[str]], runs: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        pdf = build_pdf([make(rows)], title="bench", author="bench")
        times.append(time.perf_counter() - t0)
        size = len(pdf)
    return statistics.median(times), size


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    t0 = time.perf_counter()
    register_fonts()
    print(f"register_fonts (this process, disk cache as found): {time.perf_counter() - t0:.3f} s")
    rows = sample_rows(n)
    median_time(wrapped, rows, 1)  # warm-up: imports, glyph caches
    plain_s, plain_b = median_time(plain_table, rows, runs)
    wrap_s, wrap_b = median_time(wrapped, rows, runs)
    print(f"rows={n} cols={len(HEADER)} runs={runs} (median, whole PDF build)")
    print(f"plain   : {plain_s:.3f} s  {plain_b / 1024:.0f} KiB")
    print(f"wrapped : {wrap_s:.3f} s  {wrap_b / 1024:.0f} KiB")
    print(f"ratio   : {wrap_s / plain_s:.2f}x")


if __name__ == "__main__":
    main()
