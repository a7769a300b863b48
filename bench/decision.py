#!/usr/bin/env python
"""Decision rendering: PDF and DOCX at 200 and 2,000 awardees, warm and cold, the appendix
table against its floor (reportlab drawing the same cells as plain strings), and the
certificates of the same awardees (one page each, the default Giấy khen template).

Prints one JSON object per line (name, value, unit, n, stat, note), like bench/run.py.
Inputs are seeded (SEED), so two runs are comparable. Run: .venv/bin/python bench/decision.py
[--quick]. Warm: median of 5 in this process after one untimed run (imports done, fonts
registered). Cold: median of 3 fresh `python -c` processes, timed from outside: interpreter
start, imports, font registration from the on-disk cache, input generation, render.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dossier.decisions.data import Awardee, DecisionData  # noqa: E402

SEED = 20260105
SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Thị", "Văn", "Ngọc", "Minh", "Hữu", "Thành", "Xuân", "Thu", "Quốc", "Bảo"]
GIVEN = [
    "Quỳnh",
    "Thắng",
    "Phượng",
    "Hiếu",
    "Hương",
    "Dũng",
    "Tuấn",
    "Nguyệt",
    "Ánh",
    "Khải",
    "Trường",
    "Hằng",
    "Lộc",
    "Yến",
    "Đức",
    "Thủy",
    "Nhựt",
    "Ngữ",
]
POSITIONS = [
    "Chuyên viên",
    "Phó Trưởng phòng",
    "Trưởng phòng Quản lý công nghệ và thị trường khoa học và công nghệ",
    "Kỹ sư",
    "Kế toán viên",
    "Giám đốc Trung tâm",
]
UNITS = [
    "Văn phòng Sở",
    "Phòng Quản lý khoa học",
    "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
    "Chi cục Tiêu chuẩn Đo lường Chất lượng",
    "Thanh tra Sở",
]
# 12 award forms, so the appendix has 12 group rows (the case that was slow)
FORMS = [
    "Danh hiệu Lao động tiên tiến",
    "Danh hiệu Chiến sĩ thi đua cơ sở",
    "Giấy khen của Giám đốc Sở",
] + [f"Giấy khen chuyên đề {k}" for k in range(1, 10)]


def make_data(n: int, seed: int = SEED) -> DecisionData:
    """A decision with n individual awardees over the 12 forms, in form order."""
    rnd = random.Random(seed)
    awardees = []
    for i in range(n):
        k = i * len(FORMS) // n
        name = " ".join(rnd.choice(p) for p in (SURNAMES, MIDDLE, GIVEN))
        awardees.append(
            Awardee(name, "individual", rnd.choice(POSITIONS), rnd.choice(UNITS), f"F{k}", FORMS[k])
        )
    return DecisionData(
        agency_parent="UBND TỈNH NINH THUẬN",
        agency_name="Sở Khoa học và Công nghệ",
        agency_code="SKHCN",
        place_name="Ninh Thuận",
        number=5,
        issued_on=dt.date(2026, 1, 5),
        subject="Về việc khen thưởng các tập thể và cá nhân có thành tích xuất sắc trong "
        "phong trào thi đua năm 2025",
        authority_title="GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        legal_basis=[
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính "
            "phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
            "Theo đề nghị của Chánh Văn phòng Sở",
        ],
        articles=[
            "Tặng Giấy khen cho các cá nhân có tên trong danh sách kèm theo.",
            "Kinh phí khen thưởng chi từ Quỹ thi đua, khen thưởng của Sở.",
            "Chánh Văn phòng Sở và các cá nhân có tên tại Điều 1 chịu trách nhiệm thi "
            "hành Quyết định này./.",
        ],
        awardees=awardees,
        recipients=["Như Điều 3", "UBND tỉnh (b/c)"],
        signer_lines=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
        signer_name="Trần Văn Lượng",
        draft=False,
    )


def certificate_pages(data: DecisionData):
    """One certificate per awardee on the default "Giấy khen" template, as the route makes
    them (operations.pages_of) but without a database."""
    from dossier.certificates.defaults import DEFAULT_TEMPLATES
    from dossier.certificates.render import Layout

    layout = Layout("gk", 297, 210, 0, 0, False, tuple(DEFAULT_TEMPLATES["Giấy khen"]))
    common = {
        "co_quan_chu_quan": data.agency_parent,
        "co_quan": data.agency_name,
        "thu_truong": data.authority_title,
        "thanh_tich": "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025",
        "so_quyet_dinh": f"{data.number:02d}/QĐ-{data.agency_code}",
        "ngay_quyet_dinh": f"{data.issued_on:%d/%m/%Y}",
        "noi_ngay": f"{data.place_name}, ngày 05 tháng 01 năm 2026",
        "chuc_danh_ky": "\n".join(data.signer_lines),
        "nguoi_ky": data.signer_name,
    }
    return [
        (
            layout,
            {
                **common,
                "hinh_thuc": "Giấy khen",
                "ho_ten": a.name,
                "chuc_vu": a.position,
                "don_vi": a.unit,
                "chuc_vu_don_vi": f"{a.position}, {a.unit}",
                "so_thu_tu": str(k),
            },
        )
        for k, a in enumerate(data.awardees, start=1)
    ]


def render_certificates(data: DecisionData) -> bytes:
    from dossier.certificates.render import render

    return render(certificate_pages(data), title="bench", author="bench")


def blank_pages(data: DecisionData) -> bytes:
    """The floor for certificates: as many pages, each only the shared texts (one form
    XObject), no per-awardee text: reportlab's own cost of a page."""
    from dossier.certificates.render import Layout, render

    _, values = certificate_pages(data)[0]
    layout = certificate_pages(data)[0][0]
    fixed = tuple(
        e for e in layout.elements if "{ho_ten}" not in e.text and "{chuc_vu" not in e.text
    )
    shared = Layout("floor", 297, 210, 0, 0, False, fixed)
    return render([(shared, values)] * len(data.awardees), title="bench", author="bench")


def emit(name, value, unit, n, stat, note) -> None:
    print(
        json.dumps(
            {
                "name": name,
                "value": round(float(value), 3),
                "unit": unit,
                "n": n,
                "stat": stat,
                "note": note,
            },
            ensure_ascii=False,
        ),
        flush=True,
    )


def warm(fn, runs: int) -> float:
    return warm_cpu(fn, runs)[0]


def warm_cpu(fn, runs: int) -> tuple[float, float]:
    """Medians of wall time and of this process's CPU time (the latter stays comparable
    when other jobs load the machine)."""
    fn()  # untimed: imports, glyph caches
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(times), statistics.median(cpu)


def paired(fa, fb, runs: int) -> tuple[float, float]:
    """Medians of fa and fb timed alternately, so that load on a shared machine hits both
    alike and their ratio stays meaningful."""
    fa(), fb()
    ta, tb = [], []
    for _ in range(runs):
        for fn, acc in ((fa, ta), (fb, tb)):
            t0 = time.perf_counter()
            fn()
            acc.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)


def cold(fmt: str, n: int, runs: int) -> float:
    render = (
        "from decision import render_certificates as render\n"
        if fmt == "certificates"
        else f"from dossier.decisions.{fmt} import render\n"
    )
    code = (
        f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'bench')!r}]\n"
        "from decision import make_data, render_certificates\n"
        f"{render}"
        f"assert render(make_data({n}))\n"
    )
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def appendix_rows(data: DecisionData) -> list[list[str]]:
    """The appendix's cells as plain strings: a group title row, then the awardees."""
    from dossier.decisions.pdf import appendix_groups

    rows = []
    for title, people in appendix_groups(data):
        rows.append([title, "", "", ""])
        rows += [[str(k), a.name, a.position, a.unit] for k, a in enumerate(people, start=1)]
    return rows


def floor_table(data: DecisionData):
    """The floor: the same cells, plain strings, no wrapping (long texts overflow), the
    same grid, fonts and paddings, no SPAN/NOSPLIT, in a stock LongTable."""
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable

    from dossier.decisions.pdf import APPENDIX_FONT_SIZE, APPENDIX_HEADER, APPENDIX_WIDTHS_MM
    from dossier.documents.table import table_style

    data_rows = [APPENDIX_HEADER, *appendix_rows(data)]
    t = LongTable(data_rows, colWidths=[w * mm for w in APPENDIX_WIDTHS_MM], repeatRows=1)
    t.setStyle(
        table_style(
            len(data_rows),
            [],
            font_size=APPENDIX_FONT_SIZE,
            leading=round(APPENDIX_FONT_SIZE * 1.2, 2),
            align=["CENTER", "LEFT", "LEFT", "LEFT"],
        )
    )
    return t


def stock_split_table(data: DecisionData):
    """Before the fix: the wrapped cells in a stock LongTable with SPAN/NOSPLIT group rows,
    which reportlab re-examines cell by cell at every page break."""
    from reportlab.platypus import LongTable

    from dossier.decisions.pdf import appendix_table
    from dossier.documents.table import table_style

    fast = appendix_table(data)
    t = LongTable(fast._cellvalues, colWidths=fast._colWidths, rowHeights=fast._argH, repeatRows=1)
    t.setStyle(table_style(len(fast._argH), sorted(fast._rows.groups), **fast._rows.style_kw))
    return t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="n=200 only, fewer runs")
    args = ap.parse_args()
    from dossier.decisions import docx, pdf
    from dossier.documents import build_pdf, register_fonts

    register_fonts()
    sizes, wruns, cruns = ([200], 2, 1) if args.quick else ([200, 2000], 5, 3)
    for n in sizes:
        data = make_data(n)
        renders = (
            (
                "decision_pdf",
                pdf.render,
                "render(DecisionData) -> bytes, {n} awardees in 12 groups",
            ),
            ("decision_docx", docx.render, "the same decision as DOCX"),
            ("certificates", render_certificates, "{n} certificates, one A4 page each"),
        )
        t, cpu = warm_cpu(lambda d=data: blank_pages(d), wruns)
        what = f"{n} pages holding only the shared texts (one form XObject): reportlab's page cost"
        emit(f"certificates_floor_{n}", t, "s", wruns, "median", what)
        emit(f"certificates_floor_{n}_cpu", cpu, "s", wruns, "median", what + ", CPU time")
        for name, fn, what in renders:
            t, cpu = warm_cpu(lambda f=fn, d=data: f(d), wruns)
            emit(f"{name}_{n}", t, "s", wruns, "median", what.format(n=n) + ", warm process")
            emit(f"{name}_{n}_cpu", cpu, "s", wruns, "median", what.format(n=n) + ", CPU time")
            t = cold(name.removeprefix("decision_"), n, cruns)
            emit(
                f"{name}_{n}_cold",
                t,
                "s",
                cruns,
                "median",
                "fresh `python -c`: interpreter, imports, font registration, input, render",
            )

        def appendix_only(make, d=data):
            return build_pdf([make(d)], title="bench", author="bench")

        floor, wrapped = paired(
            lambda: appendix_only(floor_table), lambda: appendix_only(pdf.appendix_table), wruns + 2
        )
        emit(
            f"appendix_floor_{n}",
            floor,
            "s",
            wruns + 2,
            "median",
            "appendix alone as a PDF: plain strings, stock LongTable, no wrap/span, "
            "NĐ 30 frame (long texts overflow their cells)",
        )
        emit(
            f"appendix_wrapped_{n}",
            wrapped,
            "s",
            wruns + 2,
            "median",
            "appendix alone as a PDF: pdf.appendix_table = wrapped_table (wrapping, "
            "group rows, own page cuts); timed alternately with the floor",
        )
        emit(
            f"appendix_ratio_{n}",
            wrapped / floor,
            "x",
            wruns + 2,
            "median",
            "appendix_wrapped / appendix_floor (goal: <= 2)",
        )
        if n >= 2000:
            stock = warm(lambda: appendix_only(stock_split_table), 3)
            emit(
                f"appendix_stock_split_{n}",
                stock,
                "s",
                3,
                "median",
                "before the fix: same wrapped cells, reportlab's own split with SPAN/NOSPLIT",
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
