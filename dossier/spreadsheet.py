"""Reading an uploaded .xlsx made from one of our templates: the part every import shares.

Refuses, in Vietnamese and before any row is checked: an oversize file, the old .xls
format, anything that is not a workbook, a header that is not the template's. Skips blank
rows and the template's "Ví dụ" rows; bounds how much is read.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from .errors import DomainError
from .nominations.attachments import max_upload_bytes
from .nominations.storage import clean_filename
from .text import fold

EXAMPLE = "Ví dụ"


def cell_text(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def read_table(
    file_storage,
    *,
    headers: list[str],
    sheet: str,
    template: str,
    max_rows: int,
    max_lines: int,
    short_headers: bool = False,
) -> tuple[str, list[tuple[int, tuple]]]:
    """(file name, [(Excel row number, the row's values padded to the headers)]).

    `template` names the template in messages ("mẫu danh sách"); `short_headers` also accepts
    a header without its parenthesised hint ("Loại" for "Loại (Cá nhân/Tập thể)").
    """
    name = clean_filename(getattr(file_storage, "filename", None))
    limit = max_upload_bytes()
    data = file_storage.stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(f"Tệp «{name}» vượt quá dung lượng cho phép.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DomainError(
            f"Tệp «{name}» là định dạng Excel cũ (.xls). Hãy mở bằng Excel, chọn "
            "Lưu thành (Save As) dạng .xlsx rồi nhập lại."
        )
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # not a zip, not OOXML, damaged: all the same to the user
        raise DomainError(
            f"Tệp «{name}» không phải bảng tính Excel (.xlsx). Hãy tải "
            f"{template}, điền vào đó rồi nhập lại."
        ) from None
    width = len(headers)
    try:
        ws = wb[sheet] if sheet in wb.sheetnames else wb.worksheets[0]
        ws.reset_dimensions()  # some programs write a wrong "used range"; read every row
        rows = ws.iter_rows(max_col=width, values_only=True)
        header = [cell_text(v) for v in next(rows, ())][:width]
        header += [""] * (width - len(header))
        wrong = [
            f"Cột {chr(65 + i)}: cần «{want}», tệp có «{got or '(trống)'}»."
            for i, (want, got) in enumerate(zip(headers, header, strict=True))
            if fold(got)
            not in ({fold(want), fold(want.split(" (")[0])} if short_headers else {fold(want)})
        ]
        if wrong:
            raise DomainError(
                "Dòng tiêu đề không đúng mẫu. Cần đúng các cột: "
                + " | ".join(headers)
                + f". Hãy tải {template} và điền vào đó.",
                details=wrong,
            )
        out, example = [], fold(EXAMPLE)
        for line, values in enumerate(rows, start=2):
            if line > max_lines:
                raise DomainError(
                    f"Trang «{ws.title}» có hơn {max_lines} dòng. Hãy xóa các "
                    "dòng thừa ở cuối bảng rồi nhập lại."
                )
            if all(cell_text(v) == "" for v in values):
                continue
            values = tuple(values[:width]) + (None,) * (width - len(values))
            if fold(cell_text(values[0])).startswith(example):
                continue
            if len(out) >= max_rows:
                raise DomainError(
                    f"Tệp có quá nhiều dòng (tối đa {max_rows} dòng một lần "
                    "nhập). Hãy chia thành nhiều tệp."
                )
            out.append((line, values))
    finally:
        wb.close()
    if not out:
        raise DomainError("Tệp không có dòng nào để nhập (các dòng «Ví dụ» được bỏ qua).")
    return name, out
