"""Certificate templates (defaults, edits) and the certificates of an issued decision."""

from __future__ import annotations

import json
from dataclasses import asdict

from sqlalchemy import select

from .. import audit
from ..campaigns.models import AwardForm
from ..documents.cache import cached
from ..errors import DomainError
from ..extensions import db
from ..states import DecisionState
from .defaults import DEFAULT_ASSIGNMENT, DEFAULT_TEMPLATES
from .layout import ALIGNS, PAPERS, STYLES, Element
from .models import CertificateTemplate
from .render import Layout, fields, join_nonempty, render


def ensure_default_templates() -> list[CertificateTemplate]:
    """Create the default templates once (an empty table) and give them to the forms."""
    templates = list(
        db.session.scalars(select(CertificateTemplate).order_by(CertificateTemplate.id))
    )
    if templates:
        return templates
    by_name = {}
    for name, elements in DEFAULT_TEMPLATES.items():
        t = CertificateTemplate(name=name, paper="A4", landscape=True)
        t.elements = elements
        db.session.add(t)
        by_name[name] = t
    db.session.flush()
    forms = db.session.scalars(select(AwardForm).where(AwardForm.code.in_(DEFAULT_ASSIGNMENT)))
    for form in forms:
        if form.certificate_template_id is None:
            form.certificate_template_id = by_name[DEFAULT_ASSIGNMENT[form.code]].id
    db.session.flush()
    return list(by_name.values())


def layout_of(t: CertificateTemplate) -> Layout:
    w, h = t.size_mm
    return Layout(
        key=f"t{t.id}",
        width_mm=w,
        height_mm=h,
        offset_x_mm=t.offset_x_mm,
        offset_y_mm=t.offset_y_mm,
        preprinted=t.preprinted,
        elements=tuple(t.elements),
    )


def check_elements(elements: list[Element], width_mm: float, height_mm: float) -> None:
    """Refuse, in Vietnamese, what would print wrongly: unknown fields, off-paper texts."""
    if not elements:
        raise DomainError("Mẫu phải có ít nhất một dòng chữ.")
    for k, e in enumerate(elements, start=1):
        where = f"Dòng {k} («{e.text[:40]}»)"
        try:
            fields(e.text)
        except ValueError as exc:
            raise DomainError(f"{where}: {exc}") from exc
        if not (0 <= e.x <= width_mm and 0 <= e.y <= height_mm):
            raise DomainError(
                f"{where}: vị trí nằm ngoài khổ giấy {width_mm:g} × {height_mm:g} mm."
            )
        if not 6 <= e.size <= 72:
            raise DomainError(f"{where}: cỡ chữ phải từ 6 đến 72.")
        if e.style not in STYLES or e.align not in ALIGNS:
            raise DomainError(f"{where}: kiểu chữ hoặc căn lề không hợp lệ.")
        if not 0 <= e.width <= width_mm:
            raise DomainError(f"{where}: độ rộng phải từ 0 đến {width_mm:g} mm.")


def save_template(
    actor,
    template: CertificateTemplate,
    *,
    name: str,
    paper: str,
    landscape: bool,
    offset_x_mm: float,
    offset_y_mm: float,
    preprinted: bool,
    elements: list[Element],
) -> None:
    if paper not in PAPERS:
        raise DomainError("Khổ giấy không hợp lệ.")
    if not (-50 <= offset_x_mm <= 50 and -50 <= offset_y_mm <= 50):
        raise DomainError("Độ lệch in phải trong khoảng -50 đến 50 mm.")
    w, h = PAPERS[paper]
    check_elements(elements, *((h, w) if landscape else (w, h)))
    clash = db.session.scalar(
        select(CertificateTemplate.id).where(
            CertificateTemplate.name == name, CertificateTemplate.id != template.id
        )
    )
    if clash:
        raise DomainError(f"Đã có mẫu tên «{name}».")
    template.name, template.paper, template.landscape = name, paper, landscape
    template.offset_x_mm, template.offset_y_mm = offset_x_mm, offset_y_mm
    template.preprinted = preprinted
    template.elements = elements
    db.session.flush()
    audit.record(
        actor=actor,
        action="certificate_template_updated",
        object_type="certificate_template",
        object_id=template.id,
        data={"name": name, "paper": paper, "offset": [offset_x_mm, offset_y_mm]},
    )


def pages_of(decision) -> list[tuple[Layout, dict[str, str]]]:
    """One (layout, values) per awardee whose form has a certificate, in list order."""
    from ..decisions.operations import data_of
    from ..decisions.pdf import number_line
    from ..documents.text import place_date_line

    ensure_default_templates()
    data = data_of(decision)
    issued = decision.issued_on
    forms = {f.code: f for f in db.session.scalars(select(AwardForm))}
    achievement = decision.campaign.achievement.strip().rstrip(".")
    common = {
        "co_quan_chu_quan": data.agency_parent,
        "co_quan": data.agency_name,
        "thu_truong": data.authority_title,
        "thanh_tich": achievement[:1].upper() + achievement[1:],
        "so_quyet_dinh": number_line(data).removeprefix("Số: "),
        "ngay_quyet_dinh": f"{issued:%d/%m/%Y}" if issued else "",
        "noi_ngay": place_date_line(data.place_name, issued) if issued else "",
        "chuc_danh_ky": "\n".join(x.upper() for x in data.signer_lines),
        "nguoi_ky": data.signer_name,
    }
    layouts: dict[int, Layout] = {}
    pages = []
    for k, a in enumerate(data.awardees, start=1):
        form = forms.get(a.form_code)
        template = form.certificate_template if form else None
        if template is None:
            continue
        layout = layouts.get(template.id) or layouts.setdefault(template.id, layout_of(template))
        unit = "" if a.unit.strip() == a.name.strip() else a.unit  # a unit is its own collective
        values = {
            **common,
            "hinh_thuc": form.official_name,
            "ho_ten": a.name,
            "chuc_vu": a.position,
            "don_vi": unit,
            "chuc_vu_don_vi": join_nonempty([a.position, unit]),
            "so_thu_tu": str(k),
        }
        pages.append((layout, values))
    return pages


def certificates_pdf(decision) -> tuple[bytes, int]:
    """The issued decision's certificates as one PDF, and how many pages it has."""
    if decision.state != DecisionState.ISSUED:
        raise DomainError("Chỉ in giấy khen cho quyết định đã ban hành.")
    pages = pages_of(decision)
    if not pages:
        raise DomainError(
            "Không hình thức nào trong quyết định này có mẫu giấy khen, giấy chứng nhận "
            "(Quyết định → Mẫu giấy khen)."
        )
    number = f"{decision.number:02d}" if decision.number else ""
    title, author = f"Giấy khen – Quyết định số {number}", pages[0][1]["co_quan"]
    # 2,000 pages hold a worker for seconds: rendered once per content (documents.cache).
    pdf = cached(
        "certificates.pdf",
        {"pages": pages, "title": title, "author": author},
        lambda: render(pages, title=title, author=author),
        modules=(render.__module__, "dossier.certificates.layout"),
    )
    return pdf, len(pages)


def template_json(t: CertificateTemplate) -> str:
    return json.dumps([asdict(e) for e in t.elements], ensure_ascii=False, indent=1)
