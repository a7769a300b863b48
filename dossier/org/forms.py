"""Forms of the organisation pages."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from ..enums import CouncilPosition, Gender, Role, UnitKind
from ..forms import Form, VnDateField

REQUIRED = DataRequired()
MAX200 = Length(max=200)


class LoginForm(Form):
    username = StringField("Tên đăng nhập", validators=[REQUIRED, Length(max=60)])
    password = PasswordField("Mật khẩu", validators=[REQUIRED, Length(max=128)])


class PasswordForm(Form):
    current = PasswordField("Mật khẩu hiện tại", validators=[REQUIRED, Length(max=128)])
    new = PasswordField("Mật khẩu mới", validators=[REQUIRED, Length(min=8, max=128)])
    confirm = PasswordField("Nhập lại mật khẩu mới", validators=[REQUIRED, Length(max=128)])

    def validate_confirm(self, field):
        if field.data != self.new.data:
            raise ValidationError("Hai lần nhập mật khẩu mới không khớp.")


class AgencyForm(Form):
    parent_body = StringField("Cơ quan chủ quản (dòng trên)", validators=[REQUIRED, MAX200])
    name = StringField(
        "Tên cơ quan (viết như trong câu, ví dụ: Sở Khoa học và Công nghệ)",
        validators=[REQUIRED, MAX200],
    )
    short_code = StringField(
        "Chữ viết tắt trong số ký hiệu",
        validators=[
            REQUIRED,
            Length(max=20),
            Regexp(r"^[A-ZĐ0-9]+$", message="Chỉ gồm chữ in hoa và chữ số, ví dụ SKHCN."),
        ],
    )
    place_name = StringField("Địa danh ghi ngày tháng", validators=[REQUIRED, Length(max=100)])
    director_name = StringField("Họ tên Giám đốc", validators=[REQUIRED, Length(max=120)])
    director_title = StringField("Chức danh người ký", validators=[REQUIRED, Length(max=120)])
    email = StringField("Thư điện tử của cơ quan", validators=[Optional(), Email(), MAX200])


class UnitForm(Form):
    name = StringField("Tên phòng, đơn vị", validators=[REQUIRED, MAX200])
    code = StringField(
        "Mã viết tắt",
        validators=[
            REQUIRED,
            Length(max=20),
            Regexp(r"^[A-Za-zĐđ0-9]+$", message="Chỉ gồm chữ cái không dấu và chữ số."),
        ],
    )
    kind = SelectField("Loại", choices=UnitKind.choices(), validators=[REQUIRED])
    sort_order = IntegerField("Thứ tự", default=100, validators=[NumberRange(min=0, max=9999)])
    active = BooleanField("Đang hoạt động", default=True)


class StaffForm(Form):
    full_name = StringField("Họ và tên", validators=[REQUIRED, Length(max=120)])
    position = StringField("Chức vụ", validators=[REQUIRED, Length(max=120)])
    unit_id = SelectField("Phòng, đơn vị", coerce=int, validators=[REQUIRED])
    gender = SelectField("Giới tính", choices=Gender.choices(), validators=[REQUIRED])
    birth_date = VnDateField("Ngày sinh", validators=[Optional()])
    email = StringField("Thư điện tử", validators=[Optional(), Email(), MAX200])
    hold_reason = TextAreaField(
        "Đang bị xem xét kỷ luật, điều tra, thanh tra, khiếu nại (ghi lý do; để trống nếu không)",
        validators=[Optional(), Length(max=1000)],
    )
    active = BooleanField("Đang công tác", default=True)
    # Luật Thi đua, khen thưởng 2022 favours them; the statistics count them apart.
    direct_worker = BooleanField(
        "Người lao động trực tiếp (không giữ chức vụ lãnh đạo, quản lý)", default=False
    )


class AccountForm(Form):
    username = StringField(
        "Tên đăng nhập",
        validators=[
            REQUIRED,
            Length(min=3, max=60),
            Regexp(
                r"^[a-zA-Z0-9._-]+$",
                message="Chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch nối.",
            ),
        ],
    )
    email = StringField("Thư điện tử", validators=[Optional(), Email(), MAX200])
    staff_id = SelectField("Cán bộ", coerce=int, validators=[Optional()])
    password = PasswordField(
        "Mật khẩu (để trống nếu không đổi)", validators=[Optional(), Length(min=8, max=128)]
    )
    active = BooleanField("Đang hoạt động", default=True)


class RoleForm(Form):
    role = SelectField("Vai trò", choices=Role.choices(), validators=[REQUIRED])
    unit_id = SelectField("Đơn vị (cho vai trò của đơn vị)", coerce=int, validators=[Optional()])
    council_position = SelectField(
        "Chức danh trong Hội đồng",
        choices=[("", "—"), *CouncilPosition.choices()],
        validators=[Optional()],
    )
    year = IntegerField(
        "Năm (để trống: mọi năm)", validators=[Optional(), NumberRange(min=2000, max=2100)]
    )


class DelegationForm(Form):
    """Who stands in for the absent person, and when (both days included)."""

    # The lists are a convenience; the operation judges the choice and says why it refuses.
    delegator_id = SelectField(
        "Người vắng mặt", coerce=int, validators=[Optional()], validate_choice=False
    )
    substitute_id = SelectField(
        "Người làm thay", coerce=int, validators=[Optional()], validate_choice=False
    )
    # InputRequired, not DataRequired: the latter would hide "Ngày không hợp lệ" behind
    # "không được để trống" when the text is there but is not a date.
    starts_on = VnDateField("Từ ngày", validators=[InputRequired()])
    ends_on = VnDateField("Đến hết ngày", validators=[InputRequired()])
    reason = StringField("Lý do (nghỉ phép, đi công tác…)", validators=[REQUIRED, Length(max=300)])
