"""The base form: Vietnamese messages for every WTForms validator, NFC on every text field."""

from __future__ import annotations

from datetime import date, datetime

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional, StopValidation
from wtforms.widgets import TextInput

from .params import DATE_MAX, DATE_MIN, DB_INT_MAX, DB_INT_MIN, BadInput, DateError, read_date
from .text import control_char_message, has_control_chars, nfc

# Every message WTForms itself can produce (wtforms/locale/wtforms.pot), in Vietnamese.
VI_MESSAGES = {
    "This field is required.": "Trường này không được để trống.",
    "Invalid input.": "Giá trị không hợp lệ.",
    "Invalid email address.": "Địa chỉ thư điện tử không hợp lệ.",
    "Invalid URL.": "Địa chỉ URL không hợp lệ.",
    "Invalid IP address.": "Địa chỉ IP không hợp lệ.",
    "Invalid Mac address.": "Địa chỉ MAC không hợp lệ.",
    "Invalid UUID.": "UUID không hợp lệ.",
    "Invalid field name '%s'.": "Tên trường '%s' không hợp lệ.",
    "Field must be equal to %(other_name)s.": "Giá trị phải trùng với trường %(other_name)s.",
    "Field must be at least %(min)d character long.": "Phải có ít nhất %(min)d ký tự.",
    "Field must be at least %(min)d characters long.": "Phải có ít nhất %(min)d ký tự.",
    "Field cannot be longer than %(max)d character.": "Không được dài quá %(max)d ký tự.",
    "Field cannot be longer than %(max)d characters.": "Không được dài quá %(max)d ký tự.",
    "Field must be exactly %(max)d character long.": "Phải có đúng %(max)d ký tự.",
    "Field must be exactly %(max)d characters long.": "Phải có đúng %(max)d ký tự.",
    "Field must be between %(min)d and %(max)d characters long.": (
        "Độ dài phải từ %(min)d đến %(max)d ký tự."
    ),
    "Number must be at least %(min)s.": "Số phải lớn hơn hoặc bằng %(min)s.",
    "Number must be at most %(max)s.": "Số phải nhỏ hơn hoặc bằng %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Số phải nằm trong khoảng %(min)s đến %(max)s.",
    "Date must be at least %(min)s.": "Ngày phải từ %(min)s trở về sau.",
    "Date must be at most %(max)s.": "Ngày phải từ %(max)s trở về trước.",
    "Date must be between %(min)s and %(max)s.": "Ngày phải nằm trong khoảng %(min)s đến %(max)s.",
    "Invalid value, must be one of: %(values)s.": "Giá trị phải là một trong: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Giá trị không được là: %(values)s.",
    "This field cannot be edited.": "Trường này không được sửa.",
    "This field is disabled and cannot have a value.": "Trường này bị khóa, không nhận giá trị.",
    "Invalid CSRF Token.": "Mã chống giả mạo (CSRF) không hợp lệ. Hãy tải lại trang.",
    "CSRF token missing.": "Thiếu mã chống giả mạo (CSRF). Hãy tải lại trang.",
    "CSRF failed.": "Kiểm tra chống giả mạo (CSRF) thất bại. Hãy tải lại trang.",
    "CSRF token expired.": "Mã chống giả mạo (CSRF) đã hết hạn. Hãy tải lại trang.",
    "The CSRF token is missing.": "Thiếu mã chống giả mạo (CSRF). Hãy tải lại trang.",
    "The CSRF token is invalid.": "Mã chống giả mạo (CSRF) không hợp lệ. Hãy tải lại trang.",
    "The CSRF token has expired.": "Mã chống giả mạo (CSRF) đã hết hạn. Hãy tải lại trang.",
    "The CSRF tokens do not match.": "Mã chống giả mạo (CSRF) không khớp. Hãy tải lại trang.",
    "Invalid Choice: could not coerce.": "Lựa chọn không hợp lệ.",
    "Choices cannot be None.": "Danh sách lựa chọn trống.",
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Not a valid choice": "Lựa chọn không hợp lệ.",
    "Invalid choice(s): one or more data inputs could not be coerced.": (
        "Có lựa chọn không hợp lệ."
    ),
    "'%(value)s' is not a valid choice for this field.": "'%(value)s' không phải lựa chọn hợp lệ.",
    "Not a valid datetime value.": "Thời điểm không hợp lệ.",
    "Not a valid date value.": "Ngày không hợp lệ (dạng ngày/tháng/năm).",
    "Not a valid time value.": "Giờ không hợp lệ.",
    "Not a valid week value.": "Tuần không hợp lệ.",
    "Not a valid integer value.": "Phải là số nguyên.",
    "Not a valid decimal value.": "Phải là số.",
    "Not a valid float value.": "Phải là số.",
}


def error_line(label: str, message: str) -> str:
    """One error as a sentence naming its field: "Ngày họp không hợp lệ: …", "Chủ trì: …"."""
    if not label:
        return message
    prefix = "Ngày không hợp lệ: "
    if message.startswith(prefix):
        return f"{label} không hợp lệ: {message.removeprefix(prefix)}"
    return f"{label}: {message}"


class VietnameseTranslations:
    def gettext(self, string: str) -> str:
        return VI_MESSAGES.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return VI_MESSAGES.get(singular if n == 1 else plural, singular)


_TRANSLATIONS = VietnameseTranslations()


class Form(FlaskForm):
    """Every form of the app: Vietnamese messages, NFC text, and input that cannot hurt.

    On validation: a control character in any field (tab and newlines only in a textarea)
    refuses the whole form with HTTP 422 (BadInput), naming the field; a number an INTEGER
    column cannot hold or a date outside 1900–2100 is a field error like any other.
    """

    class Meta:
        def get_translations(self, form):
            return _TRANSLATIONS

        def bind_field(self, form, unbound_field, options):
            # Every text field arrives NFC and trimmed, whatever the keyboard sent.
            if unbound_field.field_class in (StringField, TextAreaField):
                options["filters"] = [*unbound_field.kwargs.get("filters", ()), _nfc_filter]
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None) -> bool:
        for field in self:
            multiline = isinstance(field, TextAreaField)
            raw = [v for v in (field.raw_data or ()) if isinstance(v, str)]
            if any(has_control_chars(v, multiline=multiline) for v in raw):
                raise BadInput(control_char_message(field.label.text, multiline=multiline))
        ok = super().validate(extra_validators)
        for field in self:
            message = _out_of_range(field.data)
            if message:
                field.errors = [*field.errors, message]
                ok = False
        return ok


def _out_of_range(data) -> str | None:
    values = data if isinstance(data, list | tuple) else (data,)
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool):
            if not DB_INT_MIN <= value <= DB_INT_MAX:
                return "Số quá lớn."
        elif isinstance(value, datetime | date):
            day = value.date() if isinstance(value, datetime) else value
            if not DATE_MIN <= day <= DATE_MAX:
                return f"Ngày phải nằm trong khoảng {DATE_MIN:%d/%m/%Y} đến {DATE_MAX:%d/%m/%Y}."
    return None


def _nfc_filter(value):
    return nfc(value) if isinstance(value, str) else value


class _TypedField(Field):
    """A field parsed from text: a parse error is its only error (no "required" beside it)."""

    widget = TextInput()

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


class VnDateField(_TypedField):
    """A date typed and shown dd/mm/yyyy, whatever the browser's language.

    Rendered as a text input (never `type=date`, which a browser in English shows mm/dd/yyyy)
    that app.js gives the Vietnamese calendar picker (vendor/vanillajs-datepicker); parsed by
    params.read_date, so "31/02/2026" is refused with the reason. What was typed is shown
    again after a refusal.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-datepicker": "",
            "maxlength": "10",
            **(kwargs.pop("render_kw", None) or {}),
        }
        description = kwargs.pop("description", "") or "Ngày/tháng/năm, ví dụ 05/12/2026."
        super().__init__(label, validators, render_kw=render_kw, description=description, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%d/%m/%Y") if self.data else ""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not isinstance(valuelist[0], str):
            return
        try:
            self.data = read_date(valuelist[0])
        except DateError as err:
            raise ValueError(str(err)) from None


class VnDateTimeField(_TypedField):
    """A moment typed "dd/mm/yyyy HH:MM" (Asia/Ho_Chi_Minh), naive: the view adds the zone."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {
            "placeholder": "dd/mm/yyyy hh:mm",
            "autocomplete": "off",
            "maxlength": "16",
            **(kwargs.pop("render_kw", None) or {}),
        }
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%d/%m/%Y %H:%M") if self.data else ""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not isinstance(valuelist[0], str) or not valuelist[0].strip():
            return
        text = valuelist[0].strip().replace("T", " ")
        day_part, _, time_part = text.partition(" ")
        try:
            day = read_date(day_part)
        except DateError as err:
            raise ValueError(str(err)) from None
        hours, _, minutes = time_part.strip().partition(":")
        if not (hours.isascii() and hours.isdigit() and minutes.isascii() and minutes.isdigit()):
            raise ValueError(
                "Hãy nhập ngày và giờ theo dạng ngày/tháng/năm giờ:phút, ví dụ 20/12/2026 17:00."
            )
        if not (0 <= int(hours) <= 23 and 0 <= int(minutes) <= 59 and len(minutes) == 2):
            raise ValueError(f"Giờ {time_part.strip()} không có: giờ 0–23, phút 00–59.")
        self.data = datetime(day.year, day.month, day.day, int(hours), int(minutes))


class ActForm(Form):
    """A workflow act posted by the button partial: the version the page was loaded with,
    and a comment when the row asks for one (the fix list is read beside it)."""

    version = HiddenField(validators=[Optional()])
    comment = TextAreaField("Ghi chú / lý do", validators=[Optional(), Length(max=5000)])
    number = StringField("Số văn bản", validators=[Optional(), Length(max=40)])
