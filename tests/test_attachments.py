"""Attachments: real formats accepted, anything else refused leaving nothing, access, versions."""

from __future__ import annotations

import hashlib
import unicodedata
from io import BytesIO

import pytest
from flask import render_template_string
from sqlalchemy import func, select

from dossier import audit
from dossier.enums import AttachmentKind, NomineeKind, Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.nominations import storage
from dossier.nominations.attachments import add_attachment, remove_attachment
from dossier.nominations.models import Attachment
from dossier.nominations.operations import add_nominee
from tests import builders as b
from tests import dossier_builders as db_
from tests.dossier_builders import flashes, stored_files

FORMATS = {
    "pdf": (db_.pdf_bytes, "Báo cáo thành tích.pdf", "application/pdf"),
    "png": (db_.png_bytes, "ảnh chụp.png", "image/png"),
    "jpeg": (db_.jpeg_bytes, "Bản scan.jpg", "image/jpeg"),
    "docx": (
        db_.docx_bytes,
        "Minh chứng sáng kiến.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


@pytest.fixture
def setup(app):
    unit = b.unit()
    head = b.user(Role.UNIT_HEAD, unit_obj=unit)
    d = db_.dossier(unit)
    db.session.commit()
    return unit, head, d


def _form(d, code):
    return next(f for f in d.campaign.award_forms if f.code == code)


def rows() -> int:
    return db.session.scalar(select(func.count()).select_from(Attachment))


def post_file(client, d, data: bytes, name: str, **extra):
    form = {
        "version": d.version,
        "kind": AttachmentKind.REPORT_SCAN.value,
        "nominee_id": "",
        "file": (BytesIO(data), name),
        **extra,
    }
    return client.post(f"/ho-so/{d.id}/tep", form)


@pytest.mark.parametrize("fmt", FORMATS)
def test_real_files_are_accepted_and_stored_by_hash(app, as_user, setup, fmt):
    _, head, d = setup
    make, name, mime = FORMATS[fmt]
    data = make()
    client = as_user(head)
    resp = post_file(client, d, data, name)
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(f"/ho-so/{d.id}#tep")
    a = db.session.scalar(select(Attachment))
    assert (a.filename, a.content_type, a.size) == (name, mime, len(data))
    assert a.sha256 == hashlib.sha256(data).hexdigest()
    assert storage.path_of(a.sha256).read_bytes() == data
    assert stored_files(app) == [storage.path_of(a.sha256)]
    assert flashes(client) == [("success", f"Đã tải lên «{name}».")]


REFUSED = {
    "exe renamed": (b"MZ\x90\x00\x03" + b"\x00" * 200, "quyết định.pdf", "chương trình chạy"),
    "empty": (b"", "trống.pdf", "tệp rỗng"),
    "plain text": ("Đây là văn bản thuần".encode(), "ghi chú.pdf", "văn bản thuần"),
    "zip, not docx": (db_.xlsx_bytes([]), "bảng tính.docx", "bảng tính Excel"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_other_content_is_refused_and_leaves_nothing(app, as_user, setup, case):
    _, head, d = setup
    data, name, reality = REFUSED[case]
    client = as_user(head)
    resp = post_file(client, d, data, name)
    assert resp.status_code == 302
    [(category, message)] = flashes(client)
    assert category == "danger"
    assert f"Tệp «{name}» không phải PDF, DOCX, JPEG hoặc PNG (nội dung thực là" in message
    assert reality in message
    assert rows() == 0 and stored_files(app) == []


def test_oversize_file_is_refused_with_the_configured_limit(app, as_user, setup):
    _, head, d = setup
    app.config["MAX_UPLOAD_MB"] = 1
    client = as_user(head)
    post_file(client, d, db_.pdf_bytes() + b"\0" * (1024 * 1024), "lớn.pdf")
    [(category, message)] = flashes(client)
    assert category == "danger"
    assert "Tệp vượt quá dung lượng cho phép (tối đa 1 MB)" in message
    assert rows() == 0 and stored_files(app) == []


def test_body_over_max_content_length_gets_vietnamese_413(app, as_user, setup):
    _, head, d = setup
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    resp = post_file(as_user(head), d, db_.pdf_bytes() + b"\0" * (128 * 1024), "lớn.pdf")
    assert resp.status_code == 413
    assert "Tệp tải lên vượt quá dung lượng cho phép" in resp.get_data(as_text=True)
    assert rows() == 0 and stored_files(app) == []


def test_interrupted_upload_leaves_no_temporary_file(app):
    class Broken:
        def __init__(self):
            self.calls = 0

        def read(self, n):
            self.calls += 1
            if self.calls > 2:
                raise OSError("connection reset")
            return b"%PDF-1.4 " + b"x" * (n - 9)

    upload = db_.upload(b"", "x.pdf")
    upload.stream = Broken()
    with pytest.raises(OSError):
        storage.store(upload, max_bytes=10 * 1024 * 1024)
    assert stored_files(app) == []


def test_same_content_twice_is_stored_once(app, setup):
    _, head, d = setup
    data = db_.pdf_bytes()
    first = add_attachment(
        head,
        d,
        version=d.version,
        kind="report_scan",
        nominee_id=None,
        file_storage=db_.upload(data, "a.pdf"),
    )
    db.session.flush()
    second = add_attachment(
        head,
        d,
        version=d.version,
        kind="other",
        nominee_id=None,
        file_storage=db_.upload(data, "b.pdf"),
    )
    db.session.commit()
    assert first.sha256 == second.sha256 and rows() == 2
    assert stored_files(app) == [storage.path_of(first.sha256)]
    remove_attachment(head, first, version=d.version)
    db.session.commit()
    assert rows() == 1 and storage.path_of(second.sha256).is_file()  # shared file kept
    actions = [e.action for e in audit.timeline("dossier", d.id)]
    assert actions == ["attachment_added", "attachment_added", "attachment_removed"]


def test_download_for_unit_and_office_after_submit_not_other_unit(app, as_user, setup):
    unit, head, d = setup
    clerk = b.user(Role.UNIT_CLERK, unit_obj=unit)
    office, stranger = b.user(Role.OFFICE), b.user(Role.UNIT_HEAD)
    data = db_.pdf_bytes()
    a = add_attachment(
        head,
        d,
        version=d.version,
        kind="letter_scan",
        nominee_id=None,
        file_storage=db_.upload(data, "Tờ trình.pdf"),
    )
    db.session.commit()
    url = f"/tep/{a.id}"
    for user in (head, clerk):
        resp = as_user(user).get(url)
        assert resp.status_code == 200 and resp.data == data
        assert resp.mimetype == "application/pdf"
        assert "attachment" in resp.headers["Content-Disposition"]
        assert "T%E1%BB%9D%20tr%C3%ACnh.pdf" in resp.headers["Content-Disposition"]
    assert as_user(office).get(url).status_code == 403  # a draft is the unit's own
    assert as_user(stranger).get(url).status_code == 403
    db_.set_state(d, "submitted")
    db.session.commit()
    assert as_user(office).get(url).status_code == 200
    assert as_user(stranger).get(url).status_code == 403


def test_missing_stored_file_gives_vietnamese_404(app, as_user, setup):
    _, head, d = setup
    a = add_attachment(
        head,
        d,
        version=d.version,
        kind="other",
        nominee_id=None,
        file_storage=db_.upload(db_.png_bytes(), "ảnh.png"),
    )
    db.session.commit()
    storage.path_of(a.sha256).unlink()
    resp = as_user(head).get(f"/tep/{a.id}")
    assert resp.status_code == 404
    assert "Tệp «ảnh.png» không còn trên máy chủ" in resp.get_data(as_text=True)


def test_stale_version_is_a_conflict_and_stores_nothing(app, as_user, setup):
    _, head, d = setup
    client = as_user(head)
    post_file(client, d, db_.pdf_bytes(), "cũ.pdf", version=d.version - 1)
    [(category, message)] = flashes(client)
    assert category == "danger" and "vừa được người khác cập nhật" in message
    assert rows() == 0 and stored_files(app) == []


def test_upload_moves_the_version_so_the_old_form_conflicts(app, as_user, setup):
    _, head, d = setup
    client = as_user(head)
    seen = d.version
    post_file(client, d, db_.pdf_bytes(), "một.pdf", version=seen)
    assert d.version == seen + 1
    post_file(client, d, db_.png_bytes(), "hai.png", version=seen)
    assert "vừa được người khác cập nhật" in flashes(client)[-1][1]
    assert rows() == 1


def test_submitted_dossier_refuses_uploads_and_deletes(app, as_user, setup):
    _, head, d = setup
    a = add_attachment(
        head,
        d,
        version=d.version,
        kind="other",
        nominee_id=None,
        file_storage=db_.upload(db_.pdf_bytes(), "a.pdf"),
    )
    db_.set_state(d, "submitted")
    db.session.commit()
    before = stored_files(app)
    assert post_file(as_user(head), d, db_.png_bytes(), "b.png").status_code == 403
    resp = as_user(head).post(f"/tep/{a.id}/xoa", {"version": d.version})
    assert resp.status_code == 403
    with pytest.raises(DomainError, match="Hồ sơ đã nộp"):
        add_attachment(
            head,
            d,
            version=d.version,
            kind="other",
            nominee_id=None,
            file_storage=db_.upload(db_.png_bytes(), "b.png"),
        )
    assert rows() == 1 and stored_files(app) == before


def test_delete_through_the_page_keeps_the_file(app, as_user, setup):
    _, head, d = setup
    a = add_attachment(
        head,
        d,
        version=d.version,
        kind="other",
        nominee_id=None,
        file_storage=db_.upload(db_.pdf_bytes(), "xóa.pdf"),
    )
    db.session.commit()
    client = as_user(head)
    resp = client.post(f"/tep/{a.id}/xoa", {"version": d.version})
    assert resp.status_code == 302 and rows() == 0
    assert ("success", "Đã xóa «xóa.pdf».") in flashes(client)
    assert len(stored_files(app)) == 1


def test_nominee_must_belong_to_the_dossier_and_kind_must_exist(app, setup):
    unit, head, d = setup
    other = db_.dossier(b.unit())
    stranger = add_nominee(
        head,
        other,
        version=other.version,
        kind=NomineeKind.COLLECTIVE,
        award_form_id=_form(other, "TTLDTT").id,
        name="Tổ Hành chính",
    )
    with pytest.raises(DomainError, match="không thuộc hồ sơ này"):
        add_attachment(
            head,
            d,
            version=d.version,
            kind="other",
            nominee_id=stranger.id,
            file_storage=db_.upload(db_.pdf_bytes(), "a.pdf"),
        )
    with pytest.raises(DomainError, match="Loại tài liệu"):
        add_attachment(
            head,
            d,
            version=d.version,
            kind="virus",
            nominee_id=None,
            file_storage=db_.upload(db_.pdf_bytes(), "a.pdf"),
        )
    assert stored_files(app) == []


def test_filename_keeps_vietnamese_drops_directories_and_is_bounded():
    nfd = unicodedata.normalize("NFD", "C:\\Users\\hà\\Báo cáo thành tích.pdf")
    assert storage.clean_filename(nfd) == "Báo cáo thành tích.pdf"
    assert storage.clean_filename("../../etc/passwd") == "passwd"
    assert storage.clean_filename("\x00..") == "tệp"
    long = storage.clean_filename("Đ" * 300 + ".docx")
    assert len(long) == 200 and long.endswith(".docx")
    with pytest.raises(ValueError):
        storage.path_of("../" + "a" * 61)


def test_content_decides_the_extension(app, setup):
    _, head, d = setup
    a = add_attachment(
        head,
        d,
        version=d.version,
        kind="other",
        nominee_id=None,
        file_storage=db_.upload(db_.png_bytes(), "scan.pdf"),
    )
    assert (a.filename, a.content_type) == ("scan.pdf.png", "image/png")


def test_partial_shows_files_and_upload_form_only_when_editable(app, setup):
    from dossier import enums

    _, head, d = setup
    add_attachment(
        head,
        d,
        version=d.version,
        kind="report_scan",
        nominee_id=None,
        file_storage=db_.upload(db_.pdf_bytes(), "Báo cáo.pdf"),
    )
    db.session.flush()
    page = '{% include "nominations/_attachments.html" %}{% include "nominations/_import.html" %}'
    with app.test_request_context():
        html = render_template_string(page, dossier=d, editable=True, enums=enums)
        assert 'id="tep"' in html and 'data-testid="upload-form"' in html
        assert 'accept=".pdf,.docx,.jpg,.jpeg,.png"' in html
        assert 'data-testid="import-form"' in html
        for name in ('name="kind"', 'name="nominee_id"', 'name="file"', 'name="version"'):
            assert name in html
        assert "Bản scan báo cáo thành tích" in html and "Cả hồ sơ" in html
        assert "Báo cáo.pdf" in html and " KB" in html
        html = render_template_string(page, dossier=d, editable=False, enums=enums)
        assert "upload-form" not in html and "import-form" not in html and "Xóa" not in html
        assert "Báo cáo.pdf" in html


def test_every_files_route_is_guarded(app):
    views = [v for name, v in app.view_functions.items() if name.startswith("files.")]
    assert len(views) == 5 and all(hasattr(v, "_access") for v in views)
