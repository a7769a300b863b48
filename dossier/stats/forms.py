"""The yearly report's wording, edited by the Văn phòng."""

from __future__ import annotations

from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms import Form


class ReportSettingForm(Form):
    title = StringField(
        "Tiêu đề báo cáo ({year} thay bằng năm)", validators=[DataRequired(), Length(max=300)]
    )
    source = TextAreaField("Căn cứ biểu mẫu", validators=[DataRequired(), Length(max=1000)])
    level_titles = TextAreaField(
        "Tên các nhóm dòng, mỗi dòng một nhóm: thẩm quyền Giám đốc; đề nghị cấp trên; khác",
        validators=[DataRequired(), Length(max=1000)],
    )
    column_titles = TextAreaField(
        "Tên các cột, mỗi dòng một cột: tổng số; tập thể; cá nhân; nữ; người lao động trực tiếp",
        validators=[DataRequired(), Length(max=1000)],
    )
    confirmed = BooleanField("Đã đối chiếu với biểu mẫu của thông tư")
