"""The certificate template form: paper, offset, and the texts as rows of fields."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    FormField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import Form
from .layout import PAPERS, Element

STYLE_CHOICES = [
    ("regular", "thường"),
    ("bold", "đậm"),
    ("italic", "nghiêng"),
    ("bold_italic", "đậm nghiêng"),
]
ALIGN_CHOICES = [("center", "giữa"), ("left", "trái"), ("right", "phải")]
EMPTY_ROWS = 3  # room to add texts


class ElementForm(Form):
    class Meta:
        csrf = False  # one CSRF token for the whole page

    text = StringField("Nội dung", validators=[Optional(), Length(max=300)])
    x = FloatField("x (mm)", validators=[Optional(), NumberRange(min=0, max=420)])
    y = FloatField("y (mm)", validators=[Optional(), NumberRange(min=0, max=420)])
    size = FloatField("Cỡ chữ", validators=[Optional(), NumberRange(min=6, max=72)])
    style = SelectField("Kiểu", choices=STYLE_CHOICES)
    align = SelectField("Căn", choices=ALIGN_CHOICES)
    width = FloatField("Rộng (mm)", validators=[Optional(), NumberRange(min=0, max=420)])
    upper = BooleanField("Chữ in hoa")
    fixed = BooleanField("Có sẵn trên phôi")


class TemplateForm(Form):
    name = StringField("Tên mẫu", validators=[DataRequired(), Length(max=120)])
    paper = SelectField("Khổ giấy", choices=[(p, p) for p in PAPERS])
    landscape = BooleanField("Khổ ngang")
    offset_x_mm = FloatField(
        "Dịch ngang (mm, + sang phải)",
        validators=[NumberRange(min=-50, max=50)],
        default=0,
        description="Cho khớp phôi in sẵn: in thử, đo độ lệch, nhập vào đây.",
    )
    offset_y_mm = FloatField(
        "Dịch dọc (mm, + xuống dưới)", validators=[NumberRange(min=-50, max=50)], default=0
    )
    preprinted = BooleanField("In trên phôi in sẵn (bỏ các dòng đánh dấu “Có sẵn trên phôi”)")
    elements = FieldList(FormField(ElementForm), min_entries=1)

    def element_values(self) -> list[Element]:
        """The filled rows as Elements (a row without text is dropped)."""
        out = []
        for row in self.elements:
            d = row.data
            if not (d["text"] or "").strip():
                continue
            out.append(
                Element(
                    text=d["text"].strip(),
                    x=d["x"] or 0,
                    y=d["y"] or 0,
                    size=d["size"] or 14,
                    style=d["style"],
                    align=d["align"],
                    width=d["width"] or 0,
                    upper=bool(d["upper"]),
                    fixed=bool(d["fixed"]),
                )
            )
        return out
