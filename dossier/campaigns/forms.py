"""Forms for campaigns, award forms and extensions."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..enums import BallotKind, CampaignKind, ThresholdBase
from ..forms import Form


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CampaignForm(Form):
    name = StringField("Tên đợt / phong trào thi đua", validators=[DataRequired(), Length(max=300)])
    year = IntegerField("Năm", validators=[DataRequired(), NumberRange(min=2000, max=2100)])
    kind = SelectField(
        "Loại",
        choices=CampaignKind.choices(),
        validators=[DataRequired()],
        description="Khen thưởng đột xuất theo thủ tục đơn giản: không có hạn nộp, hồ sơ "
        "rút gọn. Không đổi được loại khi đợt đã có hồ sơ.",
    )
    deadline = DateField(
        "Hồ sơ gửi Văn phòng Sở trước ngày",
        validators=[Optional()],
        description="Ví dụ chọn 20/12: hạn cuối là 23:59:59 ngày 19/12, giờ Việt Nam. "
        "Bỏ trống với khen thưởng đột xuất.",
    )
    plan_reference = StringField(
        "Kế hoạch phát động (số, ngày)", validators=[Optional(), Length(max=300)]
    )
    legal_basis = TextAreaField(
        "Căn cứ (mỗi dòng một căn cứ)", validators=[Optional(), Length(max=5000)]
    )
    description = TextAreaField("Nội dung, tiêu chuẩn", validators=[Optional(), Length(max=10000)])
    award_form_ids = MultiCheckboxField(
        "Hình thức khen thưởng của đợt", coerce=int, validators=[DataRequired()]
    )


def with_registrations(forms):
    """A CampaignForm with one count field per upward form (đăng ký hình thức)."""

    class Bound(CampaignForm):
        pass

    for f in forms:
        setattr(
            Bound,
            f"reg_{f.id}",
            IntegerField(
                f"Số đăng ký: {f.name}", validators=[Optional(), NumberRange(min=0, max=999)]
            ),
        )
    return Bound


class AwardFormForm(Form):
    name = StringField("Tên hình thức", validators=[DataRequired(), Length(max=200)])
    ballot = SelectField("Cách biểu quyết", choices=BallotKind.choices())
    threshold_pct = IntegerField("Tỷ lệ đồng ý (%)", validators=[NumberRange(min=1, max=100)])
    threshold_strict = BooleanField("Phải trên tỷ lệ (quá bán); bỏ chọn: từ tỷ lệ trở lên")
    threshold_base = SelectField("Tính trên", choices=ThresholdBase.choices())
    quota_pct = IntegerField(
        "Giới hạn tỷ lệ (%)", validators=[Optional(), NumberRange(min=1, max=100)]
    )
    quota_of_code = StringField(
        "…so với số đề nghị hình thức (mã)", validators=[Optional(), Length(max=20)]
    )
    unit_vote_pct = IntegerField(
        "Tỷ lệ phiếu tối thiểu ở cuộc họp đơn vị (%)", validators=[NumberRange(min=0, max=100)]
    )
    prerequisite = TextAreaField("Tiêu chuẩn, điều kiện", validators=[Optional(), Length(max=3000)])
    legal_source = StringField("Căn cứ pháp lý", validators=[Optional(), Length(max=300)])
    active = BooleanField("Đang dùng")


class ExtensionForm(Form):
    unit_id = SelectField("Đơn vị", coerce=int, validators=[DataRequired()])
    until = DateTimeLocalField(
        "Hạn mới (giờ Việt Nam)", format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )
    reason = TextAreaField("Lý do gia hạn", validators=[DataRequired(), Length(max=2000)])
