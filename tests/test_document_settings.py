"""The wording of documents as data, through the pages: texts cited as căn cứ, the bonus
settings, an award form's wording and coefficient, certificate templates and printing."""

from __future__ import annotations

from sqlalchemy import select

from dossier.campaigns.legal import AwardSetting, LegalText
from dossier.campaigns.models import AwardForm
from dossier.certificates.models import CertificateTemplate
from dossier.decisions import operations as ops
from dossier.enums import Role
from dossier.extensions import db
from tests import builders as b
from tests.decision_builders import approved, people, sign_and_issue


def test_catalogue_defaults_and_a_new_text_reach_the_draft(app, as_user):
    office, director, _ = people()
    client = as_user(office)
    page = client.get("/dot-thi-dua/can-cu").get_data(as_text=True)
    assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022" in page
    assert "cần kiểm tra" in page and "chưa đủ số, ngày" in page  # the competence default
    resp = client.post(
        "/dot-thi-dua/can-cu/moi",
        {
            "kind": "Quyết định",
            "number": "07/QĐ-SKHCN",
            "signed_on": "2024-03-01",
            "issuer": "Giám đốc Sở Khoa học và Công nghệ",
            "title": "ban hành Quy chế thi đua, khen thưởng của Sở",
            "sort_order": "30",
            "default_on": "y",
            "active": "y",
            "confirmed": "y",
        },
        page="/dot-thi-dua/can-cu/moi",
    )
    assert resp.status_code == 302
    text = db.session.scalar(select(LegalText).where(LegalText.number == "07/QĐ-SKHCN"))
    assert text.citation() == (
        "Quyết định số 07/QĐ-SKHCN ngày 01 tháng 3 năm 2024 của Giám đốc Sở Khoa học và Công "
        "nghệ ban hành Quy chế thi đua, khen thưởng của Sở"
    )
    c, *_ = approved(2)
    c.legal_texts = [text]
    c.achievement_phrase = "đã có thành tích xuất sắc trong phong trào thi đua chuyển đổi số"
    db.session.commit()
    decision = ops.draft(office, c)
    assert decision.legal_basis.splitlines()[0] == f"Căn cứ {text.citation()}"
    assert decision.articles[0].endswith("thi đua chuyển đổi số.")


def test_bad_settings_are_refused_in_vietnamese_and_nothing_is_saved(app, as_user):
    office, *_ = people()
    client = as_user(office)
    before = AwardSetting.get().base_salary
    db.session.commit()
    resp = client.post(
        "/dot-thi-dua/can-cu",
        {"base_salary": "0", "base_salary_source": "", "bonus_source": "x", "fund": "x"},
        page="/dot-thi-dua/can-cu",
    )
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "Số phải nằm trong khoảng" in body and "Trường này không được để trống" in body
    db.session.expire_all()
    assert AwardSetting.get().base_salary == before
    resp = client.post("/dot-thi-dua/can-cu/moi", {"kind": "", "title": ""}, page="/")
    assert resp.status_code == 422 and db.session.scalar(select(LegalText.id).limit(1)) is not None


def test_award_form_wording_and_bonus_coefficient(app, as_user):
    office, *_ = people()
    client = as_user(office)
    form = db.session.scalar(select(AwardForm).where(AwardForm.code == "LDTT")) or None
    if form is None:
        from dossier.campaigns.catalogue import ensure_default_forms

        ensure_default_forms()
        db.session.commit()
        form = db.session.scalar(select(AwardForm).where(AwardForm.code == "LDTT"))
    url = f"/dot-thi-dua/hinh-thuc/{form.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="0,3"' in page and "tặng danh hiệu “Lao động tiên tiến”" in page
    data = {
        "name": form.name,
        "ballot": form.ballot,
        "threshold_pct": form.threshold_pct,
        "threshold_base": form.threshold_base,
        "unit_vote_pct": form.unit_vote_pct,
        "active": "y",
        "certificate_template_id": "0",
        "document_name": "Danh hiệu “Lao động tiên tiến”",
        "article_wording": "tặng danh hiệu “Lao động tiên tiến”",
    }
    resp = client.post(url, {**data, "bonus": "ba phần mười"}, page=url)
    assert resp.status_code == 422 and "Phải là số từ 0 đến 100" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AwardForm, form.id).bonus_hundredths == 30
    assert client.post(url, {**data, "bonus": "0,5"}, page=url).status_code == 302
    db.session.expire_all()
    assert db.session.get(AwardForm, form.id).bonus_hundredths == 50


def test_certificate_pages_and_download_permissions(app, as_user):
    office, director, _ = people()
    c, d, unit = approved(3, codes=("GK_CN",))
    decision = ops.draft(office, c)
    db.session.commit()
    client = as_user(office)
    url = f"/quyet-dinh/{decision.id}/giay-khen.pdf"
    assert client.get(url).status_code == 403  # a draft has no certificates yet
    sign_and_issue(director, decision)
    db.session.commit()
    resp = client.get(url)
    assert resp.status_code == 200 and resp.data[:4] == b"%PDF"
    assert resp.headers["X-Certificate-Pages"] == "3"
    page = client.get(f"/quyet-dinh/{decision.id}").get_data(as_text=True)
    assert 'data-testid="decision-certificates"' in page
    head = b.user(Role.UNIT_HEAD, unit_obj=unit)
    assert as_user(head).get(url).status_code == 403
    assert as_user(director).get(url).status_code == 403
    # The template page: a wrong field is refused with the list of fields; nothing saved.
    template = db.session.scalar(
        select(CertificateTemplate).where(CertificateTemplate.name == "Giấy khen")
    )
    edit = f"/quyet-dinh/mau-giay-khen/{template.id}"
    form = client.get(edit).get_data(as_text=True)
    assert "{ho_ten}" in form and "In thử" in form
    before = template.elements_json
    bad = {
        "name": "Giấy khen",
        "paper": "A4",
        "landscape": "y",
        "offset_x_mm": "2",
        "offset_y_mm": "-1.5",
        "elements-0-text": "Tặng {ten_nguoi}",
        "elements-0-x": "148",
        "elements-0-y": "100",
        "elements-0-size": "20",
        "elements-0-style": "bold",
        "elements-0-align": "center",
    }
    resp = client.post(edit, bad, page=edit)
    assert resp.status_code == 422 and "Trường «{ten_nguoi}» không có" in resp.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(CertificateTemplate, template.id).elements_json == before
    resp = client.post(edit, {**bad, "elements-0-text": "Tặng {ho_ten}"}, page=edit)
    assert resp.status_code == 302
    db.session.expire_all()
    saved = db.session.get(CertificateTemplate, template.id)
    assert (saved.offset_x_mm, saved.offset_y_mm) == (2, -1.5) and len(saved.elements) == 1
    preview = client.get(f"{edit}/xem-thu.pdf")
    assert preview.status_code == 200 and preview.data[:4] == b"%PDF"
    assert as_user(head).get(edit).status_code == 403
