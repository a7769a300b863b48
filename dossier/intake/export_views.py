"""The consolidated list's downloads (XLSX, PDF, the council letter), live or of a sent
version: routes on the intake blueprint, rendered once per content (documents/cache.py)."""

from __future__ import annotations

from flask import Response, abort

from ..access import Action, guard
from ..campaigns.models import Campaign
from ..documents.cache import cached
from ..extensions import db
from ..org.models import Agency
from ..timeutil import local_now
from . import findings as cached_findings
from .models import ListVersion
from .views import bp, sent_version


@bp.get("/<int:campaign_id>/danh-sach.<fmt>")
@guard(Action.REVIEW_DOSSIER, load=Campaign)
def export_live(campaign, fmt):
    return _export(campaign, cached_findings.build(campaign), None, fmt)


@bp.get("/<int:campaign_id>/phien-ban/<int:number>/danh-sach.<fmt>")
@guard(Action.VIEW_LIST_VERSION, load=Campaign)
def export_version(campaign, number, fmt):
    version = sent_version(campaign, number)
    return _export(campaign, version.consolidated(), version, fmt)


def _export(campaign, cons, version: ListVersion | None, fmt: str):
    from . import council_letter, export, export_pdf  # heavy (reportlab, openpyxl): loaded on use

    agency = Agency.get()
    number = version.number if version else None
    stem = f"danh-sach-tong-hop-{campaign.year}" + (f"-v{number}" if number else "-ban-lam-viec")
    inputs = {"cons": cons, "agency": agency, "version": number, "fmt": fmt}
    if fmt == "xlsx":

        def render():
            return export.to_xlsx(cons, agency_name=agency.name, version=number)

        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "pdf":

        def render():
            return export_pdf.to_pdf(cons, agency=agency, version=number)

        mime = "application/pdf"
    elif fmt == "to-trinh" and version is not None:
        from ..org.signers import office_signer

        letter_date = version.letter_date or local_now().date()
        signer = office_signer(letter_date)  # KT. while a deputy stands in for the chief

        def render():
            return council_letter.render(
                cons,
                agency=agency,
                version=version.number,
                letter_number=version.letter_number,
                letter_date=letter_date,
                signer_name=signer.name,
                signer_lines=signer.lines,
                plan_reference=campaign.plan_reference,
            )

        inputs.update(
            letter=(version.letter_number, letter_date, signer.name, signer.lines),
            plan=campaign.plan_reference,
        )
        mime, stem = "application/pdf", f"to-trinh-hoi-dong-{campaign.year}-v{number}"
        fmt = "pdf"
    else:
        abort(404)
    # Province-size lists take a worker a second or more: rendered once per content.
    body = cached(
        f"list.{inputs['fmt']}",
        inputs,
        render,
        modules=(
            export.__name__,
            export_pdf.__name__,
            council_letter.__name__,
            "dossier.intake.listing",
            "dossier.spreadsheet",
        ),
    )
    db.session.commit()  # the cached document (database blob store)
    return Response(
        body, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'}
    )
