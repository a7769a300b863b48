"""The form that creates a personal access token."""

from __future__ import annotations

from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from ..forms import Form
from .operations import MAX_DAYS


class TokenForm(Form):
    name = StringField(
        "Tên (hệ thống nào dùng mã này)",
        validators=[DataRequired(), Length(max=100)],
    )
    write = BooleanField("Cho phép ghi (thực hiện thao tác qua API); mặc định chỉ đọc")
    facts = BooleanField(
        "Cho phép nhập xếp loại chất lượng, sáng kiến (phạm vi facts:write; chỉ tài khoản "
        "được nhập trên trang)"
    )
    days = IntegerField(
        "Thời hạn (ngày)", default=90, validators=[DataRequired(), NumberRange(1, MAX_DAYS)]
    )


class AdminTokenForm(TokenForm):
    user_id = SelectField("Tài khoản", coerce=int, validators=[DataRequired()])
