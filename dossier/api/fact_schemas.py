"""What the API's imports of yearly ratings and initiatives accept and return (marshmallow),
with Vietnamese messages: a connected HR system shows them to its own users."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..enums import InitiativeScope, Rating
from .schemas import _clean_text

MAX_ITEMS = 5000
MESSAGES = {
    "required": "Thiếu trường này.",
    "null": "Trường này không được để trống (null).",
    "invalid": "Giá trị không đúng kiểu.",
    "validator_failed": "Giá trị không hợp lệ.",
    "too_large": "Số quá lớn.",
    "invalid_utf8": "Văn bản không hợp lệ.",
    "format": "Ngày phải theo dạng YYYY-MM-DD.",
    "type": "Giá trị không đúng kiểu.",
}


def _f(cls, *args, **kwargs):
    return cls(*args, error_messages=MESSAGES, **kwargs)


def _text(size: int, label: str, **kwargs):
    return _f(
        fields.String,
        validate=[
            validate.Length(1, size, error=f"{label}: từ 1 đến {size} ký tự."),
            _clean_text,
        ],
        **kwargs,
    )


def _choice(enum, label: str):
    values = [m.value for m in enum]
    words = ", ".join(f"{m.value} ({m.title_vi})" for m in enum)
    return _f(
        fields.String,
        required=True,
        validate=validate.OneOf(values, error=f"{label} phải là một trong: {words}."),
        metadata={"description": words},
    )


class _Vi(Schema):
    error_messages = {
        "unknown": "Trường này không được chấp nhận.",
        "type": "Phải là một đối tượng JSON.",
    }


class _Person(_Vi):
    """The person as the Excel import names them: full name and unit (name or code); the
    date of birth tells apart two people of the same name in one unit."""

    full_name = _text(200, "Họ và tên", required=True, metadata={"example": "Nguyễn Văn Đức"})
    unit = _text(
        200,
        "Đơn vị",
        required=True,
        metadata={"description": "Tên hoặc mã đơn vị", "example": "QLKH"},
    )
    birth_date = _f(
        fields.Date, allow_none=True, load_default=None, metadata={"example": "1985-03-15"}
    )


YEAR = validate.Range(1000, 9999, error="Năm phải có 4 chữ số.")


class RatingIn(_Person):
    year = _f(fields.Integer, required=True, strict=True, validate=YEAR, metadata={"example": 2025})
    rating = _choice(Rating, "Xếp loại")


class InitiativeIn(_Person):
    year = _f(
        fields.Integer,
        strict=True,
        validate=YEAR,
        metadata={"description": "Mặc định: năm của ngày quyết định", "example": 2025},
    )
    title = _text(300, "Tên sáng kiến", required=True, metadata={"example": "Số hóa hồ sơ"})
    decision_number = _text(
        60, "Số quyết định công nhận", required=True, metadata={"example": "12/QĐ-SKHCN"}
    )
    decision_date = _f(fields.Date, required=True, metadata={"example": "2025-11-20"})
    scope = _choice(InitiativeScope, "Phạm vi")


def _items(item):
    return _f(
        fields.List,
        _f(fields.Nested, item),
        required=True,
        validate=validate.Length(1, MAX_ITEMS, error=f"Gửi từ 1 đến {MAX_ITEMS} mục mỗi lần."),
    )


class RatingBatch(_Vi):
    items = _items(RatingIn)


class InitiativeBatch(_Vi):
    items = _items(InitiativeIn)


RATING_EXAMPLE = {
    "items": [
        {
            "year": 2025,
            "full_name": "Nguyễn Văn Đức",
            "unit": "QLKH",
            "birth_date": "1985-03-15",
            "rating": "excellent",
        }
    ]
}
INITIATIVE_EXAMPLE = {
    "items": [
        {
            "full_name": "Nguyễn Văn Đức",
            "unit": "QLKH",
            "title": "Số hóa hồ sơ thi đua",
            "decision_number": "12/QĐ-SKHCN",
            "decision_date": "2025-11-20",
            "scope": "agency",
        }
    ]
}


class ImportedOut(Schema):
    kind = fields.String(required=True, metadata={"example": "ratings"})
    created = fields.Integer(required=True, metadata={"description": "Dòng mới"})
    updated = fields.Integer(
        required=True, metadata={"description": "Dòng đã có (cùng người, cùng năm): được ghi đè"}
    )
    rows = fields.Integer(required=True)
