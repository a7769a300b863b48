"""The dossier pages. Views are thin: load, check, validate, call one operation, commit."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import lazyload, load_only

from .. import audit
from ..access import UNIT_ROLES, Action, authorize, can, guard
from ..campaigns.models import Campaign
from ..enums import FixComponent, NomineeKind, Role
from ..errors import ConflictError, DomainError, acting, flash_refusal
from ..extensions import db
from ..forms import error_line
from ..help.queries import office_people
from ..intake import rules
from ..org.models import Staff, Unit
from ..paging import row_page
from ..params import form_int, page_arg, parse_int
from ..states import DossierState
from ..timeutil import now
from . import operations as ops
from .checklist import dossier_missing
from .forms import LetterForm, MinutesForm, NomineeEditForm, NomineeForm
from .listing import SORTS, STATES, DossierFilter, SentRow, sent_rows
from .models import Dossier, Nominee, Snapshot

bp = Blueprint("nominations", __name__, url_prefix="/ho-so")

COMPONENTS = FixComponent.choices()
MAX_VOTES = 100_000  # votes at a unit's meeting: far above any unit, far below overflow


def _back(dossier: Dossier, anchor: str = ""):
    return redirect(url_for(".show", dossier_id=dossier.id) + (f"#{anchor}" if anchor else ""))


def _form_errors(form) -> None:
    for name, errors in form.errors.items():
        label = form[name].label.text if name in form and name != "csrf_token" else ""
        for message in errors:
            flash(error_line(label, message), "danger")


def _act(dossier: Dossier, fn, success: str, anchor: str = "", redraw=None):
    """Run one operation in a savepoint; commit once on success; on refusal change nothing.

    `redraw`, when given, draws the page again with what was typed (the refusal says why
    beside its section); a conflict (someone else saved first) reloads the page instead."""
    with acting() as outcome:
        fn()
    if outcome.refused:
        if redraw is not None and not isinstance(outcome.error, ConflictError):
            return redraw()
        return _back(dossier, anchor)
    db.session.commit()
    flash(success, "success")
    return _back(dossier, anchor)


def _listed():
    """select(Dossier) with only what the list shows (reading anything else raises): the
    letter's and minutes' texts stay in the database, and the campaign is not joined into
    every row (the page reads the campaigns anyway, so each row finds its own in the
    session)."""
    return select(Dossier).options(
        load_only(
            Dossier.campaign_id,
            Dossier.unit_id,
            Dossier.seq,
            Dossier.state,
            Dossier.submitted_at,
            raiseload=True,
        ),
        lazyload(Dossier.campaign),
    )


# Built once (a statement object keeps its cache key): the list's filters' choices.
_CAMPAIGNS = select(Campaign).order_by(Campaign.cutoff_at.desc())
_UNITS = select(Unit.id, Unit.name).order_by(Unit.sort_order, Unit.name)


@bp.get("/")
@guard(Action.HOME)
def index():
    flt = DossierFilter.from_args()
    mine_units = current_user.unit_ids(*UNIT_ROLES)
    mine = []
    if mine_units:  # the unit's own dossiers, drafts included: scoped as before
        mine = db.session.scalars(flt.apply(_listed().where(Dossier.unit_id.in_(mine_units)))).all()
    sent = []
    campaigns = db.session.scalars(_CAMPAIGNS).all()
    units = []
    if current_user.has_role(Role.OFFICE) or current_user.has_role(Role.DIRECTOR):
        units = db.session.execute(_UNITS).all()
        sent = row_page(
            flt.apply(sent_rows().where(Dossier.state != DossierState.DRAFT)),
            page=page_arg(),
            per_page=50,
            shape=SentRow.maker({c.id: c.name for c in campaigns}, dict(units)),
        )
    shown = [d.id for d in mine] + [d.id for d in (sent.items if sent else [])]
    return render_template(
        "nominations/index.html",
        mine=mine,
        mine_units=mine_units,
        sent=sent,
        counts=ops.nominee_counts(shown),
        campaigns=campaigns,
        units=units,
        flt=flt,
        states=STATES,
        sorts=SORTS,
    )


@bp.post("/tao")
@guard(Action.HOME)
def create():
    campaign = db.session.get(Campaign, form_int("campaign_id", 0))
    unit = db.session.get(Unit, form_int("unit_id", 0))
    if campaign is None or unit is None:
        abort(404)
    authorize(Action.CREATE_DOSSIER, unit)
    with acting() as outcome:
        dossier = ops.create_dossier(current_user, campaign, unit)
    if outcome.refused:
        return redirect(url_for("campaigns.show", campaign_id=campaign.id))
    db.session.commit()
    flash(
        "Đã lập hồ sơ. Hãy điền tờ trình, danh sách, báo cáo thành tích và biên bản họp.", "success"
    )
    return _back(dossier)


@bp.get("/<int:dossier_id>")
@guard(Action.VIEW_DOSSIER, load=Dossier)
def show(dossier):
    return _page(dossier)


def _nominee_choices(form, dossier: Dossier) -> None:
    staff = db.session.scalars(
        select(Staff).where(Staff.unit_id == dossier.unit_id, Staff.active).order_by(Staff.sort_key)
    ).all()
    form.staff_id.choices = [(0, "— nhập tay bên dưới —")] + [
        (s.id, f"{s.full_name} – {s.position}" + (" (đang bị xem xét)" if s.on_hold else ""))
        for s in staff
    ]
    form.award_form_id.choices = [(f.id, f.name) for f in dossier.campaign.award_forms]


def _page(
    dossier: Dossier,
    *,
    section: str | None = None,
    status: int = 200,
    letter_form=None,
    minutes_form=None,
    nominee_form=None,
    typed_votes=None,
):
    """The dossier page; after a refusal, drawn again with what was typed in `section`'s
    form (the version it carries is the current one: the refusal was about the content)."""
    editable = ops_can_edit(dossier)
    if nominee_form is None:
        nominee_form = NomineeForm(version=dossier.version, formdata=None)
    _nominee_choices(nominee_form, dossier)
    for form in (letter_form, minutes_form, nominee_form):
        if form is not None:
            form.version.data = dossier.version
            form.version.raw_data = None
    cutoff = dossier.campaign.cutoff_for(dossier.unit_id)
    findings = {}
    reviewing = bool(can(current_user, Action.REVIEW_DOSSIER)) and dossier.reviewable
    if reviewing or editable:
        # The same checks the Văn phòng sees, shown to the unit before it submits.
        findings = rules.findings_for(dossier.campaign, dossier.id, any_state=not reviewing)
    return render_template(
        "nominations/show.html",
        dossier=dossier,
        editable=editable,
        findings=findings,
        reviewing=reviewing,
        section=section,
        missing=dossier_missing(dossier) if dossier.editable else [],
        letter_form=letter_form
        or LetterForm(
            obj=dossier,
            formdata=None,
            number=dossier.letter_number,
            signer=dossier.letter_signer,
            text=dossier.letter_text,
            version=dossier.version,
        ),
        minutes_form=minutes_form
        or MinutesForm(
            formdata=None,
            meeting_date=dossier.meeting_date,
            chair=dossier.meeting_chair,
            secretary=dossier.meeting_secretary,
            present=dossier.meeting_present,
            total=dossier.meeting_total,
            version=dossier.version,
        ),
        typed_votes=typed_votes or {},
        nominee_form=nominee_form,
        timeline=audit.timeline("dossier", dossier.id),
        components=COMPONENTS,
        cutoff=cutoff,
        past_cutoff=cutoff is not None and now() > cutoff,
        office_people=office_people() if dossier.editable else [],
        snapshots=db.session.scalars(
            select(Snapshot.revision).where(Snapshot.dossier_id == dossier.id)
        ).all(),
    ), status


def ops_can_edit(dossier) -> bool:
    return can(current_user, Action.EDIT_DOSSIER, dossier)


@bp.post("/<int:dossier_id>/to-trinh")
@guard(Action.EDIT_DOSSIER, load=Dossier)
def letter(dossier):
    form = LetterForm()

    def redraw(status=409):
        return _page(dossier, section="to-trinh", status=status, letter_form=form)

    if not form.validate_on_submit():
        _form_errors(form)
        return redraw(422)
    return _act(
        dossier,
        lambda: ops.update_letter(
            current_user,
            dossier,
            version=form.version.data,
            number=form.number.data,
            letter_date=form.letter_date.data,
            signer=form.signer.data,
            text=form.text.data,
        ),
        "Đã lưu tờ trình.",
        "to-trinh",
        redraw,
    )


@bp.post("/<int:dossier_id>/bien-ban")
@guard(Action.EDIT_DOSSIER, load=Dossier)
def minutes(dossier):
    form = MinutesForm()
    typed = {
        key: request.form.get(key, "")[:20]
        for n in dossier.nominees
        for key in (f"for_{n.id}", f"against_{n.id}")
    }

    def redraw(status=409):
        return _page(
            dossier, section="bien-ban", status=status, minutes_form=form, typed_votes=typed
        )

    if not form.validate_on_submit():
        _form_errors(form)
        return redraw(422)
    votes, bad = {}, []
    for n in dossier.nominees:
        raw = (request.form.get(f"for_{n.id}", ""), request.form.get(f"against_{n.id}", ""))
        values = tuple(parse_int(v, hi=MAX_VOTES) if v.strip() else None for v in raw)
        if any(v is None and r.strip() for v, r in zip(values, raw, strict=True)):
            bad.append(f"{n.name}: số phiếu phải là số nguyên từ 0 đến {MAX_VOTES}.")
            continue
        votes[n.id] = values
    if bad:
        flash_refusal(DomainError("Biên bản họp chưa lưu được:", bad))  # nothing written yet
        return redraw(422)
    return _act(
        dossier,
        lambda: ops.update_minutes(
            current_user,
            dossier,
            version=form.version.data,
            meeting_date=form.meeting_date.data,
            chair=form.chair.data,
            secretary=form.secretary.data,
            present=form.present.data,
            total=form.total.data,
            votes=votes,
        ),
        "Đã lưu biên bản họp.",
        "bien-ban",
        redraw,
    )


@bp.post("/<int:dossier_id>/nguoi")
@guard(Action.EDIT_DOSSIER, load=Dossier)
def add_nominee(dossier):
    form = NomineeForm()
    form.staff_id.choices = [(0, "")] + [
        (s.id, "")
        for s in db.session.scalars(select(Staff).where(Staff.unit_id == dossier.unit_id))
    ]
    form.award_form_id.choices = [(f.id, f.name) for f in dossier.campaign.award_forms]

    def redraw(status=409):
        return _page(dossier, section="danh-sach", status=status, nominee_form=form)

    if not form.validate_on_submit():
        _form_errors(form)
        return redraw(422)
    individual = form.kind.data == NomineeKind.INDIVIDUAL
    return _act(
        dossier,
        lambda: ops.add_nominee(
            current_user,
            dossier,
            version=form.version.data,
            kind=form.kind.data,
            award_form_id=form.award_form_id.data,
            staff_id=form.staff_id.data if individual else None,
            name=form.name.data or (dossier.unit.name if not individual else None),
            position=form.position.data,
        ),
        "Đã thêm vào danh sách đề nghị.",
        "danh-sach",
        redraw,
    )


@bp.post("/nguoi/<int:nominee_id>/sua")
@guard(Action.EDIT_DOSSIER, load=Nominee)
def edit_nominee(nominee):
    form = NomineeEditForm()
    form.award_form_id.choices = [(f.id, f.name) for f in nominee.dossier.campaign.award_forms]
    if not form.validate_on_submit():
        _form_errors(form)
        return _back(nominee.dossier, "danh-sach")
    return _act(
        nominee.dossier,
        lambda: ops.update_nominee(
            current_user,
            nominee,
            version=form.version.data,
            award_form_id=form.award_form_id.data,
            position=form.position.data,
        ),
        "Đã cập nhật.",
        "danh-sach",
    )


@bp.post("/nguoi/<int:nominee_id>/xoa")
@guard(Action.EDIT_DOSSIER, load=Nominee)
def remove_nominee(nominee):
    dossier = nominee.dossier
    return _act(
        dossier,
        lambda: ops.remove_nominee(current_user, nominee, version=request.form.get("version")),
        "Đã bỏ khỏi danh sách.",
        "danh-sach",
    )
