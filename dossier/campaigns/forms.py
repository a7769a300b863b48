"""Forms for campaigns, award forms and extensions."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..enums import BallotKind, CampaignKind, Component, DossierComponent, ThresholdBase
from ..forms import Form, VnDateField, VnDateTimeField


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
    deadline = VnDateField(
        "Hồ sơ gửi Văn phòng Sở trước ngày",
        validators=[Optional()],
        description="Ví dụ chọn 20/12: hạn cuối là 23:59:59 ngày 19/12, giờ Việt Nam. "
        "Bỏ trống với khen thưởng đột xuất.",
    )
    plan_reference = StringField(
        "Kế hoạch phát động (số, ngày)", validators=[Optional(), Length(max=300)]
    )
    legal_text_ids = MultiCheckboxField(
        "Căn cứ ban hành quyết định (danh mục văn bản: Đợt thi đua → Căn cứ, tiền thưởng)",
        coerce=int,
        validators=[Optional()],
    )
    legal_basis = TextAreaField(
        "Căn cứ khác (mỗi dòng một căn cứ, ghi đủ số, ngày, cơ quan ban hành, trích yếu)",
        validators=[Optional(), Length(max=5000)],
    )
    achievement_phrase = StringField(
        "Thành tích ghi trong quyết định",
        validators=[Optional(), Length(max=300)],
        description="Câu cuối Điều 1, ví dụ: đã có thành tích xuất sắc trong thực hiện nhiệm "
        "vụ năm 2025. Để trống: lấy câu này theo năm của đợt.",
    )
    bonus_article = BooleanField(
        "Quyết định có Điều về tiền thưởng (tính theo hệ số từng hình thức)"
    )
    description = TextAreaField("Nội dung, tiêu chuẩn", validators=[Optional(), Length(max=10000)])
    award_form_ids = MultiCheckboxField(
        "Hình thức khen thưởng của đợt", coerce=int, validators=[DataRequired()]
    )
    dossier_components = MultiCheckboxField(
        "Thành phần bắt buộc của cả hồ sơ (ngoài thành phần từng hình thức yêu cầu)",
        choices=DossierComponent.choices(),
        description="Mặc định yêu cầu cả hai bản scan có chữ ký. Thủ tục đơn giản không yêu cầu.",
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
    components = MultiCheckboxField(
        "Thành phần hồ sơ của mỗi người được đề nghị",
        choices=[(c.value, c.title_vi) for c in Component if c != Component.SUMMARY],
        description="Phiếu kiểm tra của đơn vị và kiểm tra khi tiếp nhận đòi đủ các thành phần.",
    )
    prerequisite = TextAreaField("Tiêu chuẩn, điều kiện", validators=[Optional(), Length(max=3000)])
    legal_source = StringField("Căn cứ pháp lý", validators=[Optional(), Length(max=300)])
    document_name = StringField(
        "Tên trong văn bản",
        validators=[Optional(), Length(max=200)],
        description="Ví dụ: Danh hiệu “Lao động tiên tiến”; Giấy khen. Để trống: suy từ tên.",
    )
    article_wording = StringField(
        "Lời văn Điều 1",
        validators=[Optional(), Length(max=300)],
        description="Ví dụ: tặng danh hiệu “Lao động tiên tiến”; tặng Giấy khen "
        "(Luật Thi đua, khen thưởng 2022, Điều 80).",
    )
    bonus = StringField(
        "Tiền thưởng (số lần mức lương cơ sở)",
        validators=[Optional(), Length(max=10)],
        description="Ví dụ 0,3. Để trống: không có tiền thưởng.",
    )
    certificate_template_id = SelectField("Mẫu giấy khen, giấy chứng nhận", coerce=int)
    active = BooleanField("Đang dùng")

    def validate_bonus(self, field) -> None:
        if field.data and parse_hundredths(field.data) is None:
            raise ValidationError("Phải là số từ 0 đến 100, ví dụ 0,3 hoặc 1,5.")


def parse_hundredths(text: str | None) -> int | None:
    """ "0,3" or "0.3" -> 30; None for an empty or invalid value, or one out of 0..100."""
    if not text or not text.strip():
        return None
    try:
        value = round(float(text.strip().replace(",", ".")) * 100)
    except ValueError:
        return None
    return value if 0 <= value <= 10_000 else None


def format_hundredths(value: int | None) -> str:
    return "" if value is None else f"{value / 100:g}".replace(".", ",")


class ExtensionForm(Form):
    unit_id = SelectField("Đơn vị", coerce=int, validators=[DataRequired()])
    until = VnDateTimeField(
        "Hạn mới (giờ Việt Nam)",
        validators=[DataRequired()],
        description="Ngày/tháng/năm giờ:phút, ví dụ 22/12/2026 17:00.",
    )
    reason = TextAreaField("Lý do gia hạn", validators=[DataRequired(), Length(max=2000)])


class LegalTextForm(Form):
    kind = StringField(
        "Loại văn bản",
        validators=[DataRequired(), Length(max=60)],
        description="Luật, Nghị định, Thông tư, Quyết định…",
    )
    number = StringField(
        "Số, ký hiệu", validators=[Optional(), Length(max=60)], description="Ví dụ 152/2025/NĐ-CP."
    )
    signed_on = VnDateField("Ngày ban hành", validators=[Optional()])
    issuer = StringField(
        "Cơ quan ban hành", validators=[Optional(), Length(max=200)], description="Ví dụ Chính phủ."
    )
    title = TextAreaField(
        "Trích yếu (với Luật: tên luật)",
        validators=[DataRequired(), Length(max=1000)],
        description="Ví dụ: quy định chi tiết … của Luật Thi đua, khen thưởng.",
    )
    competence = BooleanField("Văn bản quy định chức năng, nhiệm vụ của Sở (căn cứ thẩm quyền)")
    default_on = BooleanField("Chọn sẵn cho đợt thi đua mới")
    confirmed = BooleanField("Đã đối chiếu với văn bản gốc")
    sort_order = IntegerField("Thứ tự", validators=[NumberRange(min=0, max=9999)], default=100)
    active = BooleanField("Đang dùng", default=True)


class AwardSettingForm(Form):
    base_salary = IntegerField(
        "Mức lương cơ sở (đồng/tháng)", validators=[NumberRange(min=1, max=1_000_000_000)]
    )
    base_salary_source = TextAreaField(
        "Văn bản quy định mức lương cơ sở", validators=[DataRequired(), Length(max=1000)]
    )
    bonus_source = TextAreaField(
        "Văn bản quy định hệ số tiền thưởng", validators=[DataRequired(), Length(max=1000)]
    )
    round_to = SelectField(
        "Làm tròn lên",
        coerce=int,
        choices=[
            (1_000, "hàng nghìn đồng"),
            (10_000, "hàng chục nghìn đồng"),
            (100_000, "hàng trăm nghìn đồng"),
        ],
    )
    fund = StringField("Nguồn chi", validators=[DataRequired(), Length(max=300)])
    confirmed = BooleanField("Đã đối chiếu với văn bản hiện hành")
