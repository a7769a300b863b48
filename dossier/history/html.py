"""One award of the history as every page draws it (the macro `award` in
templates/history/_record.html calls this): the search page draws fifty, and a Jinja macro
call per row cost several times this function (issue 17). Whitespace as the macro wrote it;
tests/test_list_rows.py compares both on every combination of fields."""

from __future__ import annotations

from markupsafe import Markup, escape

from ..timeutil import short_date

_OFF_LIST = (
    '<span class="badge text-bg-light border" title="Hình thức không có trong danh mục hiện '
    'hành, lưu theo hồ sơ lưu trữ">ngoài danh mục</span>'
)
_ONE_OFF = (
    '<span class="badge text-bg-info" data-testid="one-off">Đột xuất/chuyên đề – không dùng '
    "làm căn cứ</span>"
)


def award_html(r) -> Markup:
    """`r`: an AwardRecord, or a row with the same column names."""
    revoked = r.revoked_at is not None  # AwardRecord.revoked
    out = [
        f'<span data-testid="award" data-record="{escape(r.id)}"\n'
        f'      class="{"text-muted" if revoked else ""}">\n  ',
        "<del>" if revoked else "",
        f"<strong>{escape(r.award_name)}</strong>",
    ]
    if r.decision_number or r.decision_date:
        out.append('\n  <span class="small">— Quyết định')
        if r.decision_number:
            out.append(f" số {escape(r.decision_number)}")
        if r.decision_date:
            out.append(f" ngày {escape(short_date(r.decision_date))}")
        if r.issuer:
            out.append(f" của {escape(r.issuer)}")
        out.append("</span>")
    elif r.issuer:
        out.append(f' <span class="small">— {escape(r.issuer)}</span>')
    out.append("</del>" if revoked else "")
    out.append("\n  " + ("" if r.award_code else _OFF_LIST))
    out.append("\n  " + ("" if r.counts_as_basis else _ONE_OFF))
    out.append("\n  ")
    if revoked:
        out.append(
            '<span class="badge text-bg-danger" data-testid="revoked">Đã thu hồi</span>\n'
            f'  <div class="small text-danger">Thu hồi ngày {escape(short_date(r.revoked_at))}.'
            f" Lý do: {escape(r.revoked_reason)}</div>"
        )
    out.append("\n</span>")
    return Markup("".join(out))
