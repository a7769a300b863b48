"""Spreadsheets: user text written safely into every XLSX, and the part every import shares.

Writing: `set_text` / `text_cell` / `append_row` put user text in a cell as text, never a
formula (see set_text), with what XML cannot hold replaced visibly.

Reading refuses, in Vietnamese and before any row is checked: an oversize file, the old .xls
format, anything that is not a workbook, a header that is not the template's, a control
character in a cell (naming every row). Skips blank rows and the template's "Ví dụ" rows;
bounds how much is read.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import TYPE_CHECKING

from .errors import DomainError
from .nominations.attachments import max_upload_bytes
from .nominations.storage import clean_filename
from .text import fold, has_control_chars, xml_safe

if TYPE_CHECKING:  # openpyxl is imported on use (issue 17: start-up time)
    from openpyxl.cell import WriteOnlyCell

EXAMPLE = "Ví dụ"

# --- writing ---------------------------------------------------------------------------

# What an XLSX cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE, plus what XML 1.0 also forbids:
# lone surrogates, U+FFFE, U+FFFF): replaced by U+FFFD, visibly (text.xml_safe). Data already
# stored must still export, and the reader must see that something was there.
EXCEL_MAX_CHARS = 32767
# OWASP's CSV-injection list: a cell starting with one of these is a formula to Excel or
# LibreOffice once the cell is edited (or, in CSV, at once).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Excel reads "_xHHHH_" in a cell as the character U+HHHH; such literal text is escaped so
# the reader sees what was typed (ECMA-376 ST_Xstring: "_" becomes "_x005F_").
_ESCAPE_RE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_UNESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def excel_text(value: str) -> str:
    """User text as an XLSX cell must store it to show it unchanged (see the module)."""
    text = _ESCAPE_RE.sub("_x005F_", xml_safe(value))
    if len(text) > EXCEL_MAX_CHARS:  # Excel's limit for one cell
        text = text[: EXCEL_MAX_CHARS - 1] + "…"
    return text


def unescape_excel(text: str) -> str:
    """The text Excel shows for a cell's stored string (inverse of the escape above)."""
    return _UNESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def set_text(cell, value: str):
    """Write user text into an openpyxl cell as a string, never a formula.

    What I chose, after OWASP's CSV-injection guidance: the cell's type is forced to
    string ("s"), so nothing is ever evaluated when the file opens, and the text is kept
    exactly as typed (no apostrophe added: the list stays true to the dossier); a text
    starting with = + - @ or tab/CR/LF also gets Excel's "quotePrefix" flag (the hidden
    apostrophe), so editing the cell in Excel or LibreOffice keeps it text too.
    """
    text = excel_text(value)
    cell.value = text  # openpyxl guesses "f" for "=…": overruled below
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def text_cell(ws, value, style: str | None = None) -> WriteOnlyCell:
    from openpyxl.cell import WriteOnlyCell

    """A write-only cell: user text through set_text, anything else as is."""
    cell = WriteOnlyCell(ws)
    if style is not None:
        cell.style = style
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value
    return cell


def append_row(ws, values) -> None:
    """ws.append for a normal worksheet, with every string written by set_text."""
    ws.append([excel_text(v) if isinstance(v, str) else v for v in values])
    for cell, value in zip(ws[ws.max_row], values, strict=False):
        if isinstance(value, str):
            set_text(cell, value)


# --- reading ---------------------------------------------------------------------------


def cell_text(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _decoded(value):
    return unescape_excel(value) if isinstance(value, str) and "_x" in value else value


def _control_problems(line: int, values: tuple, headers: list[str]) -> list[str]:
    # Tab and line breaks (Alt+Enter) are whitespace the imports fold into one space;
    # anything else in C0, DEL or C1 is refused.
    return [
        f"Dòng {line}: cột «{header}» chứa ký tự điều khiển không hợp lệ."
        for header, value in zip(headers, values, strict=False)
        if isinstance(value, str) and has_control_chars(value, multiline=True)
    ]


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
        from openpyxl import load_workbook

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
        out, example, controls = [], fold(EXAMPLE), []
        for line, values in enumerate(rows, start=2):
            if line > max_lines:
                raise DomainError(
                    f"Trang «{ws.title}» có hơn {max_lines} dòng. Hãy xóa các "
                    "dòng thừa ở cuối bảng rồi nhập lại."
                )
            if all(cell_text(v) == "" for v in values):
                continue
            values = tuple(_decoded(v) for v in values[:width]) + (None,) * (width - len(values))
            if fold(cell_text(values[0])).startswith(example):
                continue
            controls += _control_problems(line, values, headers)
            if len(out) >= max_rows:
                raise DomainError(
                    f"Tệp có quá nhiều dòng (tối đa {max_rows} dòng một lần "
                    "nhập). Hãy chia thành nhiều tệp."
                )
            out.append((line, values))
    finally:
        wb.close()
    if controls:
        raise DomainError(
            f"Tệp có ký tự điều khiển không hợp lệ ở {len(controls)} ô. Không dòng nào được "
            "nhập; hãy xóa các ký tự đó rồi nhập lại.",
            details=controls,
        )
    if not out:
        raise DomainError("Tệp không có dòng nào để nhập (các dòng «Ví dụ» được bỏ qua).")
    return name, out
