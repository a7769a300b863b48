"""A sample decision built only from the shared layer (used by tests and for eyeballing).

Run `python tests/documents/sample_doc.py out.pdf` to write it to disk.
Not collected by pytest (no test_ prefix).
"""

from __future__ import annotations

import datetime as dt
import random
import sys

from reportlab.platypus import PageBreak

from dossier.documents import (
    build_pdf,
    doc_number,
    heading_block,
    para,
    place_date_line,
    signature_block,
    title_block,
    wrapped_table,
)

# Names with stacked diacritics (circumflex/breve/horn + tone) are the ones that break.
KEY_NAMES = [
    "Nguyễn Thị Quỳnh",
    "Đặng Văn Thắng",
    "Huỳnh Ngọc Phượng",
    "Võ Minh Hiếu",
    "Trương Thị Ỷ Lan",
    "Lê Hoàng Kỹ",
]
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
FORMS = ["Giấy khen của Giám đốc Sở", "Danh hiệu Lao động tiên tiến"]
HEADER = ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Hình thức khen thưởng"]
COL_WIDTHS_MM = [11, 49, 38, 40, 27]  # 165 mm text width; every sample name fits on a line


def sample_rows(n: int, seed: int = 30) -> list[list[str]]:
    """n rows, seeded; KEY_NAMES are spread through the table (first, middle, last)."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        name = f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
        form = FORMS[0] if i < n // 2 else FORMS[1]
        rows.append([str(i + 1), name, rnd.choice(POSITIONS), rnd.choice(UNITS), form])
    for k, key in enumerate(KEY_NAMES):
        rows[(k * (n - 1)) // max(len(KEY_NAMES) - 1, 1)][1] = key
    return rows


def build_sample(n_rows: int = 300) -> bytes:
    date = dt.date(2026, 1, 5)
    rows = sample_rows(n_rows)
    story = [
        heading_block(
            "UBND tỉnh Ninh Thuận",
            "Sở Khoa học và Công nghệ",
            doc_number(5, "QĐ", "SKHCN"),
            place_date_line("Ninh Thuận", date),
        ),
        title_block(
            "Quyết định",
            "Về việc khen thưởng các tập thể và cá nhân có thành tích "
            "xuất sắc trong phong trào thi đua năm 2025",
        ),
        para("GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ", "authority"),
        para("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", "can_cu"),
        para(
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ "
            "quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
            "can_cu",
        ),
        para("Theo đề nghị của Chánh Văn phòng Sở.", "can_cu"),
        para("QUYẾT ĐỊNH:", "title"),
        para(
            "<b>Điều 1.</b> Tặng Giấy khen của Giám đốc Sở Khoa học và Công nghệ cho các tập "
            "thể và cá nhân có tên trong danh sách kèm theo, đã có thành tích xuất sắc "
            "trong phong trào thi đua năm 2025.",
            markup=True,
        ),
        para(
            "<b>Điều 2.</b> Chánh Văn phòng Sở, Thủ trưởng các đơn vị có liên quan và các "
            "cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
            markup=True,
        ),
        signature_block(
            ["Như Điều 2", "UBND tỉnh (b/c)", "Sở Nội vụ (b/c)"],
            ["KT. Giám đốc", "Phó Giám đốc"],
            "Trần Văn Lượng",
        ),
        PageBreak(),  # the appendix starts on its own page, as in real decisions
        para("DANH SÁCH KHEN THƯỞNG", "center_bold"),
        para("(Kèm theo Quyết định số 05/QĐ-SKHCN ngày 05/01/2026)", "center_italic"),
        wrapped_table(HEADER, rows, COL_WIDTHS_MM, group_rows={0: FORMS[0], n_rows // 2: FORMS[1]}),
    ]
    return build_pdf(
        story, title="Quyết định khen thưởng năm 2025", author="Sở Khoa học và Công nghệ"
    )


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "sample.pdf"
    with open(out, "wb") as fh:
        fh.write(build_sample())
    print(out)
