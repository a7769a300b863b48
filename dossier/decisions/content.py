"""What a decision says, as DecisionData: its signature block (the Director, or a deputy
"KT.") and, for a draft, the text built from its rows; for an issued one, the frozen content.

Split out of operations.py, which re-exports both names.
"""

from __future__ import annotations

import json

from ..org.models import Agency
from .data import Awardee, DecisionData
from .models import Decision


def signer_for(user) -> tuple[list[str], str, str | None]:
    """The signature block and the audit's "on behalf of": the Director, or a deputy (KT.)."""
    agency = Agency.get()
    position = (user.staff.position if user.staff else "") or ""
    name = user.display_name
    if position.strip().casefold() == agency.director_title.strip().casefold():
        return [agency.director_title.upper()], name, None
    title = agency.director_title.upper()
    return (
        [f"KT. {title}", (position or f"Phó {agency.director_title}").upper()],
        name,
        f"{agency.director_title} {agency.director_name}".strip(),
    )


def data_of(decision: Decision, *, signer=None) -> DecisionData:
    if decision.content:
        data = json.loads(decision.content)
        return DecisionData(**{**data, "awardees": [Awardee(**a) for a in data["awardees"]]})
    agency = Agency.get()
    lines, name, _ = (
        signer_for(signer)
        if signer is not None
        else (
            decision.signer_lines or [agency.director_title.upper()],
            decision.signer_name or agency.director_name,
            None,
        )
    )
    corrects = None
    if decision.corrects is not None:
        c = decision.corrects
        corrects = (
            f"Quyết định số {c.number:02d}/QĐ-{agency.short_code} ngày {c.issued_on:%d/%m/%Y}"
        )
    return DecisionData(
        agency_parent=agency.parent_body,
        agency_name=agency.name,
        agency_code=agency.short_code,
        place_name=agency.place_name,
        number=decision.number,
        issued_on=decision.issued_on,
        subject=decision.subject,
        authority_title=f"{agency.director_title} {agency.name}".upper(),
        legal_basis=[b.rstrip(";.") for b in decision.legal_basis.splitlines() if b.strip()],
        articles=decision.articles,
        awardees=[
            Awardee(a.name, a.kind, a.position, a.unit, a.form_code, a.form_name)
            for a in decision.awards
        ],
        recipients=[r for r in decision.recipients.splitlines() if r.strip()],
        signer_lines=lines,
        signer_name=name,
        corrects=corrects,
        draft=not decision.issued,
    )
