"""Drafting, signing and issuing decisions. The Director signs; the Văn thư then numbers
the decision from the agency's register (the sequence's next, or a number typed from the
agency's own system), which freezes its content and PDF (signed with the agency's
certificate, number included), records every award in the history, and moves the dossiers
to "Đã ban hành". Nothing here commits."""

from __future__ import annotations

import json
from dataclasses import asdict, replace

from sqlalchemy import select

from .. import audit, audit_anchor
from ..access import Action, require
from ..campaigns.models import Campaign
from ..enums import CampaignKind, DocKind
from ..errors import ConflictError, DomainError
from ..extensions import db
from ..history.models import AwardRecord
from ..history.operations import record_award
from ..history.operations import revoke as revoke_award
from ..nominations.models import Dossier, Nominee
from ..org.models import Agency
from ..register import operations as register
from ..states import DecisionState, DecisionTrigger, DossierTrigger
from ..text import nfc
from ..timeutil import local_now
from ..workflow import (
    Context,
    announce,
    cause,
    fire,
    flow_of,
    operation,
    sources,
    transition,
)
from . import guards  # noqa: F401  (registers the workflow guards)
from .content import data_of, signer_for
from .data import DecisionData
from .models import Decision, DecisionAward
from .selection import _refuse_blocked, awardable
from .wording import draft_texts


def _expect(decision: Decision, version) -> None:
    if str(decision.version) != str(version):
        raise ConflictError("Quyết định vừa được người khác cập nhật; hãy tải lại trang.")


def draft(
    actor,
    campaign: Campaign,
    *,
    form_codes: set[str] | None = None,
    meeting=None,
    subject: str | None = None,
) -> Decision:
    verdict = require(actor, Action.DRAFT_DECISION, None, "Chỉ Văn phòng Sở dự thảo quyết định.")
    nominees = awardable(campaign, form_codes)
    if not nominees:
        raise DomainError(
            "Chưa có tập thể, cá nhân nào được Hội đồng xét đạt mà chưa có quyết định."
        )
    _refuse_blocked(campaign, nominees)
    agency = Agency.get()
    texts = draft_texts(campaign, nominees, meeting)  # căn cứ, subject, articles from data
    decision = Decision(
        campaign_id=campaign.id,
        meeting_id=getattr(meeting, "id", None),
        state=DecisionState.DRAFT,
        year=local_now().year,
        created_by_id=actor.id,
        subject=nfc(subject or "") or texts.subject,
        legal_basis="\n".join(texts.basis),
        recipients=texts.recipients,
    )
    for i, n in enumerate(nominees, 1):
        decision.awards.append(
            DecisionAward(
                nominee_id=n.id,
                position_no=i,
                name=n.name,
                kind=n.kind,
                position=n.position or "",
                unit=n.unit_label or n.dossier.unit.name,
                unit_id=n.dossier.unit_id,
                staff_id=n.staff_id,
                form_code=n.award_form.code,
                form_name=n.award_form.official_name,  # documents print it, never the label
            )
        )
    decision.articles = texts.articles
    db.session.add(decision)
    db.session.flush()
    audit.record(
        actor=actor,
        action="decision_drafted",
        object_type="decision",
        object_id=decision.id,
        data={"awards": len(nominees), "agency": agency.short_code},
        verdict=verdict,
    )
    announce(cause(decision), decision)  # the signer is asked (decisions/notifications.py)
    return decision


@operation(DecisionTrigger.SEND_FOR_SIGNING)
def send_for_signing(actor, decision: Decision) -> None:
    """Mail the signer(s) again with fresh links (after the draft was edited, say); the
    earlier links died with the edit. The mail hangs on the transition's signal, sent once
    the state moved, so the links see a draft to sign."""
    fire(decision, DecisionTrigger.SEND_FOR_SIGNING, Context(actor=actor))


def update_draft(
    actor,
    decision: Decision,
    *,
    version,
    subject: str,
    legal_basis: str,
    articles: list[str],
    recipients: str,
) -> None:
    verdict = require(actor, Action.DRAFT_DECISION, None, "Chỉ Văn phòng Sở sửa dự thảo.")
    _expect(decision, version)
    if not decision.editable:
        raise DomainError(
            "Quyết định đã ban hành không sửa được; cần ban hành quyết định đính chính."
        )
    articles = [nfc(a) for a in articles if nfc(a)]
    if not nfc(subject) or not articles:
        raise DomainError("Trích yếu và nội dung các Điều không được để trống.")
    decision.subject, decision.legal_basis = nfc(subject), nfc(legal_basis)
    decision.articles, decision.recipients = articles, nfc(recipients)
    db.session.flush()
    audit.record(
        actor=actor,
        action="decision_updated",
        object_type="decision",
        object_id=decision.id,
        verdict=verdict,
    )


@operation(DecisionTrigger.SIGN)
def sign(actor, decision: Decision, *, version) -> Decision:
    """The Director (or a deputy, "KT.") signs: the signature block is fixed; the Văn thư
    numbers and issues it next."""
    _expect(decision, version)
    with transition(decision, DecisionTrigger.SIGN, Context(actor=actor)) as ctx:
        lines, name, ctx.signs_for = signer_for(actor)
        decision.signer_id, decision.signer_name = actor.id, name
        decision.signer_lines_json = json.dumps(lines, ensure_ascii=False)
        ctx.extra = {"signer": " / ".join(lines), "awards": len(decision.awards)}
    return decision


def next_number_hint(decision: Decision) -> str:
    """ "249/QĐ-SKHCN": what "next" would give today (the issue form's hint)."""
    code = Agency.get().short_code
    year = local_now().year
    return register.code(register.peek(DocKind.DECISION, code, year), DocKind.DECISION, code)


@operation(DecisionTrigger.ISSUE)
def issue(actor, decision: Decision, *, version, number: str | int | None = None) -> Decision:
    """The Văn thư gives the number (`number`: typed from the agency's system, "249" or
    "249/QĐ-SKHCN"; blank: the register's next) and issues: the frozen content and PDF
    (signed if a certificate is set, once the number is on it), then the history and the
    dossiers; a correction marks what it corrects."""
    _expect(decision, version)
    if decision.issued:
        raise DomainError(
            f"Quyết định đã được ban hành (số {decision.number:02d}); không ban hành lần hai."
        )
    agency = Agency.get()
    typed = number if isinstance(number, int) or number is None else None
    if isinstance(number, str):
        typed = register.parse_typed(number, DocKind.DECISION, agency.short_code)
    # Heavy (reportlab, pyHanko): loaded when a decision is issued, not at every start.
    from .pdf import render
    from .signing import sign_pdf
    from .signing_store import configured_signer

    with transition(
        decision, DecisionTrigger.ISSUE, Context(actor=actor)
    ) as ctx:  # refuse before numbering
        certificate = configured_signer()  # an expired one is refused before a number is taken
        today = local_now().date()
        number = register.take(
            DocKind.DECISION,
            agency.short_code,
            today.year,
            typed=typed,
            object_type="decision",
            object_id=decision.id,
            actor=actor,
        )
        # Build everything first, then set it all at once: the state turns issued (on
        # leaving this block) together with the frozen content; an issued row never changes.
        with db.session.no_autoflush:
            decision.year, decision.number, decision.issued_on = today.year, number, today
            data = data_of(decision)
            data.draft = False
            pdf = render(data)
            if certificate is not None:
                pdf = sign_pdf(
                    pdf,
                    certificate,
                    reason="Ban hành quyết định khen thưởng",
                    location=agency.place_name,
                    signer_name=decision.signer_name or agency.director_name,
                )
            decision.content = json.dumps(asdict(data), ensure_ascii=False, default=str)
            decision.pdf, decision.signed = pdf, certificate is not None
        ctx.extra = {
            "number": register.code(number, DocKind.DECISION, data.agency_code),
            "typed": typed is not None,
            "awards": len(decision.awards),
            "signer": " / ".join(decision.signer_lines),
        }
    _record_history(decision, data)
    caused = Context(actor=actor, verdict=ctx.verdict, cause=cause(decision, DecisionTrigger.ISSUE))
    for dossier in _dossiers_of(decision):
        fire(dossier, DossierTrigger.ISSUE, replace(caused, extra={"decision": decision.id}))
    if decision.corrects is not None:
        fire(
            decision.corrects,
            DecisionTrigger.MARK_CORRECTED,
            replace(caused, extra={"by": decision.id}),
        )
    audit_anchor.anchor(reason="decision")  # seal the chain with the decision, same commit
    return decision


BASIS_KINDS = (CampaignKind.YEARLY, CampaignKind.PERIOD_END)


def _record_history(decision: Decision, data: DecisionData) -> None:
    issuer = f"{Agency.get().director_title} {Agency.get().name}"
    for a in decision.awards:
        record_award(
            year=decision.campaign.year,
            kind=a.kind,
            staff_id=a.staff_id,
            unit_id=a.unit_id,
            name=a.name,
            award_code=a.form_code,
            award_name=a.form_name,
            decision_id=decision.id,
            decision_number=f"{decision.number:02d}/QĐ-{data.agency_code}",
            decision_date=decision.issued_on,
            issuer=issuer,
            source="decision",
            # Thematic and one-off awards are no basis for higher ones (NĐ 152/2025, Điều 4).
            counts_as_basis=decision.campaign.kind in BASIS_KINDS,
        )


def _dossiers_of(decision: Decision) -> list[Dossier]:
    """The dossiers whose nominees this decision awards, waiting for it."""
    ids = {a.nominee_id for a in decision.awards if a.nominee_id}
    return list(
        db.session.scalars(
            select(Dossier)
            .join(Nominee)
            .where(
                Nominee.id.in_(ids),
                Dossier.state.in_(sources("dossier", DossierTrigger.ISSUE)),
            )
            .distinct()
        )
    )


def correct(actor, decision: Decision) -> Decision:
    """A correction is a new draft naming the decision it corrects; the old one stays."""
    verdict = require(actor, Action.DRAFT_DECISION, None, "Chỉ Văn phòng Sở dự thảo đính chính.")
    # Issuing the correction will mark this one corrected: only from where that row leaves.
    if decision.state not in flow_of(decision).sources(DecisionTrigger.MARK_CORRECTED):
        raise DomainError("Chỉ đính chính quyết định đã ban hành.")
    agency = Agency.get()
    ref = (
        f"Quyết định số {decision.number:02d}/QĐ-{agency.short_code} ngày "
        f"{decision.issued_on:%d/%m/%Y}"
    )
    fix = Decision(
        campaign_id=decision.campaign_id,
        corrects_id=decision.id,
        state=DecisionState.DRAFT,
        year=local_now().year,
        created_by_id=actor.id,
        subject=f"Về việc đính chính {ref}",
        legal_basis=decision.legal_basis,
        recipients=decision.recipients,
    )
    for a in decision.awards:
        fix.awards.append(
            DecisionAward(
                nominee_id=None,
                position_no=a.position_no,
                name=a.name,
                kind=a.kind,
                position=a.position,
                unit=a.unit,
                unit_id=a.unit_id,
                staff_id=a.staff_id,
                form_code=a.form_code,
                form_name=a.form_name,
            )
        )
    fix.articles = [
        f"Đính chính {ref} như sau: …",
        "Các nội dung khác của Quyết định giữ nguyên.",
        decision.articles[-1] if decision.articles else "",
    ]
    db.session.add(fix)
    db.session.flush()
    audit.record(
        actor=actor,
        action="decision_correction_drafted",
        object_type="decision",
        object_id=fix.id,
        data={"corrects": ref},
        verdict=verdict,
    )
    return fix


@operation(DecisionTrigger.REVOKE, comment="reason")
def revoke(actor, decision: Decision, *, version, reason: str) -> Decision:
    """The Director revokes an issued decision, with the reason: its awards leave the
    history (kept visible as revoked, as Chương VII of the Law asks)."""
    _expect(decision, version)
    ctx = fire(decision, DecisionTrigger.REVOKE, Context(actor=actor, comment=nfc(reason) or None))
    agency = Agency.get()
    words = f"Quyết định số {decision.number:02d}/QĐ-{agency.short_code} bị hủy bỏ: {ctx.comment}"
    for record in db.session.scalars(
        select(AwardRecord).where(
            AwardRecord.decision_id == decision.id, AwardRecord.revoked_at.is_(None)
        )
    ).all():
        revoke_award(actor, record, words, verdict=ctx.verdict)
    return decision
