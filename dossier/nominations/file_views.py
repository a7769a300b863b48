"""Attachments and the Excel nominee list: upload, download, delete, template, import.

Thin views: load (the guard), check, validate the form, call one operation, commit once,
flash, redirect back to the dossier page.
"""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, current_app, flash, redirect, render_template, send_file, url_for
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup, escape
from wtforms import HiddenField, IntegerField, SelectField
from wtforms.validators import Optional

from ..access import Action, authorize, guard
from ..enums import AttachmentKind
from ..errors import DomainError, acting
from ..extensions import db
from ..forms import Form
from .attachments import add_attachment, remove_attachment
from .importer import XLSX_MIME, import_nominees, template_xlsx
from .models import Attachment, Dossier
from .storage import read

bp = Blueprint("files", __name__)


class UploadForm(Form):
    version = HiddenField()
    kind = SelectField("Loại tài liệu", choices=AttachmentKind.choices())
    nominee_id = IntegerField("Thuộc về", validators=[Optional()])
    file = FileField("Tệp", validators=[FileRequired("Chưa chọn tệp để tải lên.")])


class ImportForm(Form):
    version = HiddenField()
    file = FileField("Tệp Excel", validators=[FileRequired("Chưa chọn tệp Excel để nhập.")])


class VersionForm(Form):
    version = HiddenField()


def _back(dossier: Dossier, anchor: str):
    return redirect(url_for("nominations.show", dossier_id=dossier.id, _anchor=anchor))


def _flash_error(message: str, details: list[str]) -> None:
    text = escape(message)
    if details:
        items = Markup("").join(Markup("<li>{}</li>").format(d) for d in details)
        text += Markup('<ul class="mb-0">{}</ul>').format(items)
    flash(text, "danger")


def _refusal(err: DomainError) -> None:
    _flash_error(err.message, err.details)


def _invalid(form: Form, dossier: Dossier, anchor: str):
    details = [
        f"{form[name].label.text}: {e}" if name != "csrf_token" else e
        for name, errors in form.errors.items()
        for e in errors
    ]
    _flash_error("Chưa thực hiện được:", details)
    return _back(dossier, anchor)


@bp.post("/ho-so/<int:dossier_id>/tep")
@guard(Action.EDIT_DOSSIER, load=Dossier)
def upload(dossier: Dossier):
    form = UploadForm()
    if not form.validate_on_submit():
        return _invalid(form, dossier, "tep")
    back = _back(dossier, "tep")  # before a refusal's rollback expires the dossier
    with acting(say=_refusal) as outcome:
        attachment = add_attachment(
            current_user,
            dossier,
            version=form.version.data,
            kind=form.kind.data,
            nominee_id=form.nominee_id.data,
            file_storage=form.file.data,
        )
    if outcome.refused:
        return back
    db.session.commit()
    flash(f"Đã tải lên «{attachment.filename}».", "success")
    return _back(dossier, "tep")


@bp.post("/tep/<int:attachment_id>/xoa")
@guard(Action.VIEW_ATTACHMENT, load=Attachment)
def delete(attachment: Attachment):
    dossier = attachment.dossier
    authorize(Action.EDIT_DOSSIER, dossier)
    form = VersionForm()
    if not form.validate_on_submit():
        return _invalid(form, dossier, "tep")
    name = attachment.filename
    back = _back(dossier, "tep")
    with acting(say=_refusal) as outcome:
        remove_attachment(current_user, attachment, version=form.version.data)
    if outcome.refused:
        return back
    db.session.commit()
    flash(f"Đã xóa «{name}».", "success")
    return _back(dossier, "tep")


@bp.get("/tep/<int:attachment_id>")
@guard(Action.VIEW_ATTACHMENT, load=Attachment)
def download(attachment: Attachment):
    data = read(attachment.sha256)
    if data is None:
        current_app.logger.error(
            "attachment %s: stored file %s is missing", attachment.id, attachment.sha256
        )
        return render_template(
            "errors.html",
            code=404,
            title="Không tìm thấy tệp",
            message=f"Tệp «{attachment.filename}» không còn trên máy chủ. Hãy báo quản trị "
            "viên; đơn vị có thể tải lên lại tệp này.",
        ), 404
    return send_file(
        BytesIO(data),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
        max_age=0,
    )


@bp.get("/ho-so/<int:dossier_id>/mau-danh-sach.xlsx")
@guard(Action.VIEW_DOSSIER, load=Dossier)
def import_template(dossier: Dossier):
    return send_file(
        BytesIO(template_xlsx(dossier)),
        mimetype=XLSX_MIME,
        as_attachment=True,
        download_name=f"Mẫu danh sách đề nghị - {dossier.unit.code}.xlsx",
        max_age=0,
    )


@bp.post("/ho-so/<int:dossier_id>/nhap-danh-sach")
@guard(Action.EDIT_DOSSIER, load=Dossier)
def import_list(dossier: Dossier):
    form = ImportForm()
    if not form.validate_on_submit():
        return _invalid(form, dossier, "nhap-danh-sach")
    back = _back(dossier, "nhap-danh-sach")
    with acting(say=_refusal) as outcome:
        count = import_nominees(
            current_user, dossier, version=form.version.data, file_storage=form.file.data
        )
    if outcome.refused:
        return back
    db.session.commit()
    flash(f"Đã nhập {count} người/tập thể vào danh sách đề nghị.", "success")
    return _back(dossier, "nhap-danh-sach")
