"""Conformance of the decision, its DOCX and its certificates with NĐ 30/2020 Phụ lục I and
the Law's wording: rendered through the real operations, read back with positions and fonts
(tests/documents/conformance.py). DOC_SAMPLES_DIR=dir keeps each PDF and PNGs of it."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from dossier.campaigns.legal import AwardSetting, LegalText, ensure_default_texts
from dossier.certificates import operations as certs
from dossier.certificates.models import CertificateTemplate
from dossier.decisions import docx, pdf
from dossier.decisions import operations as ops
from dossier.decisions.wording import bonus_amount
from dossier.enums import Role
from dossier.extensions import db
from tests import builders as b
from tests.decision_builders import approved, people, sign_and_issue
from tests.documents.conformance import (
    assert_centred,
    assert_fonts,
    assert_margins,
    assert_order,
    read,
)

COMPETENCE = "Quyết định số 25/2025/QĐ-UBND ngày 20 tháng 02 năm 2025 của Ủy ban nhân dân tỉnh"


def _campaign_with_basis(c):
    texts = ensure_default_texts()
    competence = next(t for t in texts if t.competence)
    competence.number, competence.signed_on = "25/2025/QĐ-UBND", date(2025, 2, 20)
    c.legal_texts = [t for t in texts if t.default_on]
    c.bonus_article = True
    db.session.commit()


@pytest.fixture
def issued(app):
    """An issued decision: 4 LĐTT, 2 Giấy khen of individuals, 1 of a collective."""
    office, director, _ = people()
    c, d, unit = approved(6, codes=("LDTT", "LDTT", "GK_CN"))
    _campaign_with_basis(c)
    from dossier.nominations.models import Nominee
    from dossier.text import fold

    form = next(f for f in c.award_forms if f.code == "GK_TT")
    db.session.add(
        Nominee(
            dossier_id=d.id,
            kind="collective",
            name=unit.name,
            name_folded=fold(unit.name),
            sort_key=b"",
            award_form_id=form.id,
            status="approved",
        )
    )
    db.session.commit()
    decision = ops.draft(office, c)
    db.session.commit()
    sign_and_issue(director, decision)
    db.session.commit()
    return decision, c, unit


def test_decision_pdf_conforms(issued):
    decision, campaign, unit = issued
    doc = read(decision.pdf, "quyet-dinh")
    assert_fonts(decision.pdf)
    assert_margins(doc)
    # The heading: parent body regular, agency bold (left); national title and motto bold
    # (right); "Số:" level with the place and date, which is italic.
    parent, agency = doc.find("UBND TỈNH NINH THUẬN"), doc.find("SỞ KHOA HỌC")
    national, motto = doc.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), doc.find("Độc lập - Tự do")
    number, place = doc.find(f"Số: {decision.number:02d}/QĐ-SKHCN"), doc.find("Ninh Thuận, ngày")
    assert parent.regular and 12 <= parent.size <= 13
    assert agency.bold and 12 <= agency.size <= 13
    assert national.bold and 12 <= national.size <= 13 and motto.bold and 13 <= motto.size <= 14
    assert parent.centre < 105 < national.centre  # two columns
    assert number.regular and place.italic and abs(number.bottom - place.bottom) < 1.5
    # Title, subject, authority: bold and centred; căn cứ italic; articles' labels bold.
    for phrase in ("QUYẾT ĐỊNH", "Về việc", "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ", "QUYẾT ĐỊNH:"):
        span = doc.find(phrase)
        assert span.bold, phrase
        assert 13 <= span.size <= 14, phrase
    assert_centred(doc, doc.find("GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ"))
    for line in (
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số",
    ):
        assert doc.find(line).italic, line
    for k in (1, 2, 3, 4):
        assert doc.find(f"Điều {k}.").bold
    body = doc.find("Tặng danh hiệu")
    assert body.regular and 13 <= body.size <= 14
    # Nơi nhận: bold italic 12, level with the signer's title; recipients 11 pt.
    noi_nhan, signer = doc.find("Nơi nhận:"), doc.find("GIÁM ĐỐC", page=doc.find("Nơi nhận:").page)
    assert noi_nhan.bold and noi_nhan.italic and noi_nhan.size == 12
    assert abs(noi_nhan.top - signer.top) < 2 and signer.bold
    assert doc.find("- Lưu: VT, VP.").size == 11
    assert_order(
        doc,
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Số:",
            "QUYẾT ĐỊNH",
            "Về việc",
            "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            "Căn cứ Quyết định số 25/2025/QĐ-UBND",
            "Căn cứ Luật Thi đua, khen thưởng",
            "Căn cứ Nghị định số 152/2025/NĐ-CP",
            "Theo đề nghị của Chánh Văn phòng Sở.",
            "QUYẾT ĐỊNH:",
            "Điều 1.",
            "Điều 2.",
            "Điều 4.",
            "Nơi nhận:",
            "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG",
        ],
    )
    # The Law's words, full citations, the bonus from data; no internal label.
    flat = doc.flat
    assert f"Căn cứ {COMPETENCE}" in flat
    assert (
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về "
        "phân cấp, phân quyền trong lĩnh vực thi đua, khen thưởng" in flat
    )
    assert "Tặng danh hiệu “Lao động tiên tiến” cho 4 cá nhân; tặng Giấy khen" in flat
    assert "tặng Giấy khen cho 1 tập thể và 2 cá nhân (có danh sách kèm theo)" in flat
    assert "đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm" in flat
    each = bonus_amount(30, AwardSetting.get().base_salary, 10_000)
    assert each == 710_000 and "710.000 đồng/cá nhân × 4 cá nhân = 2.840.000 đồng" in flat
    assert "1.410.000 đồng/tập thể × 1 tập thể" in flat
    for label in ("(cá nhân)", "(tập thể)", "Giấy khen của Giám đốc Sở", campaign.name):
        assert label not in flat, label
    # Page numbers centred in the top margin from page 2; the appendix groups by the
    # printed name, collectives first.
    assert doc.pages[1][0][0]["text"] == "2" and doc.pages[1][0][0]["bottom"] < 20
    assert_order(doc, ["II. Giấy khen (1 tập thể, 2 cá nhân)", unit.name + " Phòng"])


def test_docx_names_times_new_roman_only(issued):
    decision, *_ = issued
    body = docx.render(ops.data_of(decision))
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        xml = "".join(z.read(n).decode() for n in ("word/document.xml", "word/styles.xml"))
    fonts = {
        name
        for tag in re.findall(r"<w:rFonts [^>]*>", xml)
        for name in re.findall(r'w:\w+="([^"]+)"', tag)
    }
    assert fonts == {"Times New Roman"}, fonts
    assert "asciiTheme" not in xml and "Calibri" not in xml and "Cambria" not in xml


def test_draft_decision_conforms_and_warns_of_missing_basis(app):
    office, *_ = people()
    c, *_ = approved(3)
    c.legal_texts = [t for t in ensure_default_texts() if t.default_on]  # competence unfilled
    db.session.commit()
    decision = ops.draft(office, c)
    db.session.commit()
    rendered = pdf.render(ops.data_of(decision))
    doc = read(rendered, "du-thao")
    assert_fonts(rendered)
    assert_margins(doc)  # the "DỰ THẢO" stamp sits in the top margin by design
    assert "DỰ THẢO" in doc.text and "Căn cứ Quyết định số …… ngày ……" in doc.flat
    competence = db.session.scalar(select(LegalText).where(LegalText.competence.is_(True)))
    assert not competence.complete and not competence.confirmed


def test_certificates_one_page_each_on_the_template(issued):
    decision, campaign, unit = issued
    body, pages = certs.certificates_pdf(decision)
    doc = read(body, "giay-khen")
    assert_fonts(body)
    givers = [a for a in decision.awards if a.form_code in {"GK_CN", "GK_TT"}]
    assert pages == len(doc.pages) == len(givers) == 3  # LĐTT has no certificate by default
    for k in range(1, len(doc.pages) + 1):
        w, h = doc.sizes[k - 1]
        assert (round(w), round(h)) == (297, 210)  # A4 landscape
        text = doc.page_text(k)
        assert "GIẤY KHEN" in text and f"Quyết định số {decision.number:02d}/QĐ-SKHCN" in text
        assert f"ngày {decision.issued_on:%d/%m/%Y}" in text
        assert "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm" in text
        assert "GIÁM ĐỐC" in text and decision.signer_name in text
    for k, a in enumerate(givers, start=1):  # in the decision's order, each on its page
        assert doc.find(a.name, page=k).size == 24
    assert doc.page_text(3).count(unit.name) == 1  # the unit as a collective: named once
    name = doc.find(givers[0].name)
    assert name.bold and name.italic and abs(name.centre - 148.5) < 1


def test_certificate_offset_and_preprinted_paper(issued):
    decision, *_ = issued
    certs.ensure_default_templates()
    template = db.session.scalar(
        select(CertificateTemplate).where(CertificateTemplate.name == "Giấy khen")
    )
    before = read(certs.certificates_pdf(decision)[0])
    certs.save_template(
        b.user(Role.OFFICE),
        template,
        name=template.name,
        paper="A4",
        landscape=True,
        offset_x_mm=5,
        offset_y_mm=-3,
        preprinted=True,
        elements=template.elements,
    )
    db.session.commit()
    after = read(certs.certificates_pdf(decision)[0], "giay-khen-phoi-in-san")
    name = decision.awards[-1].name
    a, z = before.find(name), after.find(name)
    assert abs((z.x0 - a.x0) - 5) < 0.05 and abs((z.top - a.top) + 3) < 0.05
    # The agency's paper carries the heading and the big title: not printed again.
    assert "GIẤY KHEN" in before.text and "GIẤY KHEN" not in after.text
    assert "CỘNG HÒA" not in after.text and name in after.text


@pytest.mark.parametrize(
    "text, message",
    [
        ("{ho_ten} {khong_co}", "Trường «{khong_co}» không có"),
        ("{ho_ten.__class__}", "không có"),
        ("Tặng {ho_ten", "không khớp"),
    ],
)
def test_template_refuses_unknown_fields(issued, text, message):
    from dossier.certificates.models import Element
    from dossier.errors import DomainError

    template = certs.ensure_default_templates()[0]
    db.session.commit()
    version = template.elements_json
    with pytest.raises(DomainError, match=re.escape(message)):
        certs.save_template(
            b.user(Role.OFFICE),
            template,
            name=template.name,
            paper="A4",
            landscape=True,
            offset_x_mm=0,
            offset_y_mm=0,
            preprinted=False,
            elements=[Element(text, 100, 100)],
        )
    db.session.rollback()
    assert db.session.get(CertificateTemplate, template.id).elements_json == version
