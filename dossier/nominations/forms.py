"""Forms of the dossier page. Each carries the dossier's version (optimistic locking)."""

from __future__ import annotations

from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..enums import NomineeKind
from ..forms import Form, VnDateField

OPT = Optional()


class VersionedForm(Form):
    version = HiddenField(validators=[DataRequired()])


class LetterForm(VersionedForm):
    number = StringField(
        "Số, ký hiệu tờ trình", validators=[OPT, Length(max=60)], description="Ví dụ: 15/TTr-QLKH"
    )
    letter_date = VnDateField("Ngày ký", validators=[OPT])
    signer = StringField("Người ký", validators=[OPT, Length(max=120)])
    text = TextAreaField("Nội dung tờ trình", validators=[OPT, Length(max=20000)])


class MinutesForm(VersionedForm):
    meeting_date = VnDateField("Ngày họp", validators=[OPT])
    chair = StringField("Chủ trì", validators=[OPT, Length(max=120)])
    secretary = StringField("Thư ký", validators=[OPT, Length(max=120)])
    present = IntegerField("Số người dự họp", validators=[OPT, NumberRange(min=1, max=10000)])
    total = IntegerField(
        "Tổng số người của đơn vị", validators=[OPT, NumberRange(min=1, max=10000)]
    )


class NomineeForm(VersionedForm):
    kind = SelectField("Đối tượng", choices=NomineeKind.choices(), validators=[DataRequired()])
    staff_id = SelectField("Cán bộ trong danh sách của đơn vị", coerce=int, validators=[OPT])
    name = StringField(
        "Hoặc nhập họ tên / tên tập thể",
        validators=[OPT, Length(max=200)],
        description="Người ngoài danh sách cán bộ, hoặc tên tập thể.",
    )
    position = StringField("Chức vụ (nếu nhập tay)", validators=[OPT, Length(max=120)])
    award_form_id = SelectField("Hình thức đề nghị", coerce=int, validators=[DataRequired()])


class NomineeEditForm(VersionedForm):
    position = StringField("Chức vụ", validators=[OPT, Length(max=120)])
    award_form_id = SelectField("Hình thức đề nghị", coerce=int, validators=[DataRequired()])


class ReportForm(VersionedForm):
    birth_date = VnDateField("Ngày sinh", validators=[OPT])
    hometown = StringField("Quê quán", validators=[OPT, Length(max=200)])
    qualifications = TextAreaField(
        "Trình độ chuyên môn, lý luận chính trị", validators=[OPT, Length(max=5000)]
    )
    situation = TextAreaField(
        "Đặc điểm, tình hình; chức năng, nhiệm vụ (tập thể)", validators=[OPT, Length(max=20000)]
    )
    duties = TextAreaField("Chức năng, nhiệm vụ được giao", validators=[OPT, Length(max=20000)])
    achievements = TextAreaField("Thành tích đạt được", validators=[OPT, Length(max=50000)])
    initiatives = TextAreaField("Sáng kiến, đề tài, giải pháp", validators=[OPT, Length(max=20000)])
    awards_received = TextAreaField(
        "Các hình thức đã được khen thưởng (năm, hình thức, số quyết định, cơ quan ban hành)",
        validators=[OPT, Length(max=20000)],
    )
