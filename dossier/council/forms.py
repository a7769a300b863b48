"""The council's settings form (the Văn phòng edits how the council counts)."""

from __future__ import annotations

from wtforms import BooleanField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from ..forms import Form


class CouncilSettingForm(Form):
    written_views_count = BooleanField(
        "Tính ý kiến bằng văn bản của thành viên vắng mặt như phiếu biểu quyết (khi đó họ "
        "được tính vào số thành viên làm cơ sở tính tỷ lệ)"
    )
    written_views_source = TextAreaField(
        "Căn cứ về ý kiến bằng văn bản", validators=[DataRequired(), Length(max=1000)]
    )
    min_ballots = IntegerField(
        "Số phiếu hợp lệ tối thiểu để công bố kết quả",
        validators=[
            DataRequired("Cần ghi số phiếu tối thiểu."),
            NumberRange(
                min=2,
                max=50,
                message="Số phiếu tối thiểu phải từ 2 đến 50: với 1 phiếu, kết quả cho biết "
                "ngay người đó đã bỏ phiếu thế nào.",
            ),
        ],
    )
    min_ballots_source = TextAreaField(
        "Căn cứ về số phiếu tối thiểu", validators=[DataRequired(), Length(max=1000)]
    )
    confirmed = BooleanField("Đã đối chiếu với văn bản hiện hành")
