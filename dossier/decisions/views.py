"""Decision pages: list, draft, edit, issue, download (PDF, DOCX), correct, verify."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import acts
from ..access import Action, can, guard, public
from ..audit import timeline
from ..campaigns.models import Campaign
from ..errors import DomainError, acting, flash_message
from ..extensions import db
from ..params import form_int, form_text, form_texts, page_within
from ..states import DecisionTrigger
from ..throttle import upload_limit
from ..workflow import allowed, flow_of
from . import operations as ops
from .counts import award_counts, awardable_counts, upward_counts
from .export import export
from .listing import SORTS, STATES, DecisionFilter
from .models import Decision

bp = Blueprint("decisions", __name__, url_prefix="/quyet-dinh")
PAGE = 100
LIST_PAGE = 50


def _act(decision_id: int, fn, success: str):
    """Run one operation in a savepoint; commit once on success; on refusal change nothing."""
    result = None
    with acting() as outcome:
        result = fn()
    if outcome.refused:
        return redirect(
            url_for(".show", decision_id=decision_id) if decision_id else url_for(".index")
        )
    db.session.commit()
    flash(success, "success")
    return redirect(url_for(".show", decision_id=getattr(result, "id", None) or decision_id))


@bp.get("/")
@guard(Action.HOME)
def index():
    flt = DecisionFilter.from_args()
    visible = [  # scoped exactly as before: what the user may see, then the filters
        d
        for d in db.session.scalars(
            select(Decision).order_by(
                Decision.state, Decision.year.desc(), Decision.number.desc(), Decision.id.desc()
            )
        )
        if can(current_user, Action.VIEW_DECISION, d)
    ]
    decisions = flt.apply(visible)
    page, pages = page_within(len(decisions), LIST_PAGE)
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.year.desc())).all()
    ready, upward = {}, {}
    if can(current_user, Action.DRAFT_DECISION):  # counted in the database, not loaded
        ready = awardable_counts([c.id for c in campaigns])
        upward = upward_counts([c.id for c in campaigns])
    shown = decisions[(page - 1) * LIST_PAGE : page * LIST_PAGE]
    return render_template(
        "decisions/index.html",
        decisions=shown,
        award_counts=award_counts([d.id for d in shown]),
        total=len(decisions),
        page=page,
        pages=pages,
        years=sorted({d.year for d in visible}, reverse=True),
        flt=flt,
        states=STATES,
        sorts=SORTS,
        campaigns=campaigns,
        ready=ready,
        upward=upward,
    )


@bp.post("/du-thao")
@guard(Action.DRAFT_DECISION)
def create():
    campaign = db.session.get(Campaign, form_int("campaign_id", 0))
    if campaign is None:
        abort(404)
    codes = set(form_texts("form_code", "Hình thức khen thưởng")) or None
    return _act(
        0, lambda: ops.draft(current_user, campaign, form_codes=codes), "Đã lập dự thảo quyết định."
    )


@bp.get("/<int:decision_id>")
@guard(Action.VIEW_DECISION, load=Decision)
def show(decision):
    page, pages = page_within(len(decision.awards), PAGE)

    return render_template(
        "decisions/show.html",
        decision=decision,
        data=ops.data_of(decision),
        awards=decision.awards[(page - 1) * PAGE : page * PAGE],
        page=page,
        pages=pages,
        first=(page - 1) * PAGE,
        timeline=timeline("decision", decision.id),
        can_draft=can(current_user, Action.DRAFT_DECISION),
        next_number=(  # for whoever the issue row offers its button to now
            ops.next_number_hint(decision)
            if decision.state in flow_of(decision).sources(DecisionTrigger.ISSUE)
            and allowed(current_user, decision, DecisionTrigger.ISSUE)
            else None
        ),
    )


@bp.post("/<int:decision_id>/sua")
@guard(Action.DRAFT_DECISION, load=Decision)
def edit(decision):
    text = {
        "subject": form_text("subject", "Trích yếu", max_len=1000),
        "legal_basis": form_text("legal_basis", "Căn cứ", multiline=True, max_len=10000),
        "articles": [
            form_text(f"article_{i}", f"Điều {i}", multiline=True, max_len=10000)
            for i in range(1, 10)
        ],
        "recipients": form_text("recipients", "Nơi nhận", multiline=True, max_len=3000),
    }
    return _act(
        decision.id,
        lambda: ops.update_draft(
            current_user, decision, version=request.form.get("version"), **text
        ),
        "Đã lưu dự thảo.",
    )


# The first URLs of three acts, kept: guarded as the generic act view is (may see the
# decision); who may fire each is its row's to say (dossier/acts.py).
@bp.post("/<int:decision_id>/trinh-ky")
@guard(Action.VIEW_DECISION, load=Decision)
def send_for_signing(decision):
    return acts.old_url(decision, DecisionTrigger.SEND_FOR_SIGNING)


@bp.post("/<int:decision_id>/ky")
@guard(Action.VIEW_DECISION, load=Decision)
def sign(decision):
    return acts.old_url(decision, DecisionTrigger.SIGN)


@bp.post("/<int:decision_id>/ban-hanh")
@guard(Action.VIEW_DECISION, load=Decision)
def issue(decision):
    return acts.old_url(decision, DecisionTrigger.ISSUE)


@bp.post("/<int:decision_id>/dinh-chinh")
@guard(Action.DRAFT_DECISION, load=Decision)
def correct(decision):
    return _act(
        decision.id,
        lambda: ops.correct(current_user, decision),
        "Đã lập dự thảo quyết định đính chính.",
    )


@bp.get("/<int:decision_id>/<any(pdf, docx):fmt>")
@guard(Action.VIEW_DECISION, load=Decision)
def download(decision, fmt):
    body, mime, name = export(decision, fmt)
    db.session.commit()  # the rendered document, cached in the blob store (database backend)
    return Response(
        body, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/de-nghi-cap-tren/<int:campaign_id>.zip")
@guard(Action.DRAFT_DECISION, load=Campaign)
def upward(campaign):
    from .upward import build_zip  # heavy (reportlab): loaded on use

    body, count = build_zip(campaign)
    if not count:
        flash("Đợt thi đua này chưa có ai được Hội đồng đề nghị khen thưởng cấp trên.", "info")
        return redirect(url_for(".index"))
    return Response(
        body,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="de-nghi-cap-tren-{campaign.year}.zip"'
        },
    )


@bp.route("/chu-ky-so", methods=["GET", "POST"])
@guard(Action.ADMIN)
def certificate():
    """The administrator sets the certificate decisions are signed with, and trusted roots."""
    from . import signing_store as store  # heavy (pyHanko): loaded on use

    if request.method == "POST":
        what = request.form.get("what")
        with acting(say=flash_message) as outcome:
            if what == "signer":
                upload = request.files.get("p12")
                if upload is None or not upload.filename:
                    raise DomainError("Hãy chọn tệp chứng thư số (.p12 / .pfx).")
                info = store.save_signer(
                    current_user, upload.read(), request.form.get("password", "")
                )
                message = f"Đã cài chứng thư số: {info.describe_vi()}"
            elif what == "roots":
                upload = request.files.get("roots")
                if upload is None or not upload.filename:
                    raise DomainError("Hãy chọn tệp chứng thư gốc (.cer / .pem).")
                message = (
                    f"Đã lưu {store.save_trust_roots(current_user, upload.read())} "
                    "chứng thư gốc tin cậy."
                )
            elif what == "remove":
                store.remove_signer(current_user)
                message = "Đã gỡ chứng thư số: quyết định sẽ ban hành không ký số."
            else:
                abort(400)
        if outcome.refused:
            return redirect(url_for(".certificate"))
        db.session.commit()
        flash(message, "success")
        return redirect(url_for(".certificate"))
    current, problem = None, None
    try:
        current = store.configured_signer()
    except DomainError as err:
        problem = err.message
    return render_template(
        "decisions/certificate.html",
        current=current,
        problem=problem,
        roots=len(store.trust_roots() or []),
    )


@bp.route("/kiem-tra", methods=["GET", "POST"])
@public  # anyone who received a decision may check it: nothing secret is revealed
@upload_limit  # but not without end from one address
def verify():
    result = None
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash("Hãy chọn tệp PDF cần kiểm tra.", "warning")
        else:
            # Heavy (pyHanko): loaded when a file is checked.
            from .signing import verify_pdf
            from .signing_store import trust_roots

            result = verify_pdf(upload.read(), trust_roots())
    return render_template("decisions/verify.html", result=result)
