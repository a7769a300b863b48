"""The Văn phòng's pages: intake per campaign, the consolidated list, versions, exports."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import memo
from ..access import Action, guard
from ..campaigns.models import Campaign
from ..errors import DomainError, acting, flash_refusal
from ..extensions import db
from ..nominations.models import Dossier, Nominee
from ..params import (
    choice_arg,
    date_message,
    form_text,
    keep_typed,
    page_within,
    parse_date,
    parse_int,
    search_arg,
)
from ..states import DOSSIER_EDITABLE, DossierState
from ..text import fold
from ..timeutil import local_now, now
from . import findings as cached_findings
from . import operations as ops
from . import page_data
from .models import ListVersion

bp = Blueprint("intake", __name__, url_prefix="/tiep-nhan")
PAGE = 50
NONE = "none"  # the unit has no dossier yet (a filter value, not a state)
# "Chưa nộp" means what the reminders and the Văn phòng's to-do count mean: the unit owes a
# dossier (none yet, a draft, or one returned to it and not sent again).
NOT_SENT = {NONE, *DOSSIER_EDITABLE}
S = DossierState
FILTERS = {
    "": "Tất cả",
    NONE: "Chưa nộp (chưa lập, đang soạn hoặc bị trả lại)",
    S.SUBMITTED.value: "Chờ kiểm tra",
    **{s.value: s.title_vi for s in (S.RETURNED, S.ACCEPTED, S.COUNCIL)},
}
SORTS = {"unit": "Theo đơn vị", "state": "Theo trạng thái", "nop": "Theo thời điểm nộp"}
ORDER = [NONE, S.DRAFT, S.SUBMITTED, S.RETURNED, S.ACCEPTED, S.COUNCIL]  # "by state"


def _latest_state(dossiers: list) -> str:
    return max(dossiers, key=lambda d: d.seq).state if dossiers else NONE


@bp.get("/<int:campaign_id>")
@guard(Action.REVIEW_DOSSIER, load=Campaign)
def index(campaign):
    token = memo.usable_token()
    live = cached_findings.check(campaign, token)  # counts only: no ListRow is made
    # Units, dossiers, cut-offs, counts and the sent version: kept while the data stands.
    base = page_data.intake_base(campaign, live, token)
    units, by_unit = base.units, base.by_unit
    findings = live.tally()  # dossier id -> [errors, warnings]
    state_filter = choice_arg("trang-thai", FILTERS)
    q_shown, q = search_arg("q")  # folded: "quan ly" finds "Phòng Quản lý Khoa học"
    lines = []
    cutoff_for, moment = base.cutoff_for, now()
    for unit in units:
        ds = by_unit.get(unit.id, ())
        current = ds[-1] if ds else None
        state = current.state if current else NONE
        not_sent = state in NOT_SENT
        if state_filter and not (state == state_filter or (state_filter == NONE and not_sent)):
            continue
        if q and q not in fold(unit.name):
            continue
        cutoff = cutoff_for(unit.id)
        late = current is None or current.state in DOSSIER_EDITABLE
        lines.append(
            {
                "unit": unit,
                "dossier": current,
                "state": state,
                "cutoff": cutoff,
                "late": late,
                "overdue": late and cutoff is not None and cutoff < moment,
                "findings": findings.get(current.id if current else 0, [0, 0]),
            }
        )
    sort = choice_arg("sap-xep", SORTS, "unit")
    if sort == "state":
        lines.sort(key=lambda x: ORDER.index(x["state"]) if x["state"] in ORDER else 9)
    elif sort == "nop":
        lines.sort(
            key=lambda x: (
                x["dossier"] is None or x["dossier"].submitted_at is None,
                x["dossier"].submitted_at if x["dossier"] and x["dossier"].submitted_at else now(),
            )
        )
    page, pages = page_within(len(lines), PAGE)
    # Objects, not dicts, for the template: `x.unit` on a dict first tries (and fails) an
    # attribute lookup, an exception for every cell.
    shown = [SimpleNamespace(**x) for x in lines[(page - 1) * PAGE : page * PAGE]]
    return render_template(
        "intake/index.html",
        campaign=campaign,
        lines=shown,
        total=len(lines),
        page=page,
        pages=pages,
        counts=base.counts,
        filters=FILTERS,
        state_filter=state_filter,
        sort=sort,
        sorts=SORTS,
        q=q_shown,
        live=live,
        not_submitted=sum(1 for u in units if _latest_state(by_unit.get(u.id, ())) in NOT_SENT),
        changed=base.changed,
        latest_number=base.latest_number,
    )


@bp.post("/<int:campaign_id>/tiep-nhan")
@guard(Action.REVIEW_DOSSIER, load=Campaign)
def bulk_accept(campaign):
    chosen = []
    for value in request.form.getlist("dossier"):
        raw_id, _, version = value.partition(":")
        dossier_id = parse_int(raw_id)
        dossier = db.session.get(Dossier, dossier_id) if dossier_id is not None else None
        if dossier is None or dossier.campaign_id != campaign.id:
            abort(404)
        chosen.append((dossier, version))
    with acting() as outcome:
        n = ops.bulk_accept(current_user, chosen)
    if outcome.refused:
        return redirect(url_for(".index", campaign_id=campaign.id))
    db.session.commit()
    flash(f"Đã tiếp nhận {n} hồ sơ.", "success")
    return redirect(url_for(".index", campaign_id=campaign.id))


@bp.get("/<int:campaign_id>/danh-sach")
@guard(Action.REVIEW_DOSSIER, load=Campaign)
def consolidated(campaign):
    token = memo.usable_token()
    live = cached_findings.check(campaign, token)  # ListRows for the page shown only
    page, pages = page_within(live.row_count, PAGE)
    today = local_now().date()
    # What the page shows beside the rows, kept while the data stands (dossier/memo.py):
    # seven statements a view otherwise. The letter's number hint depends on the year too.
    extras = page_data.list_extras(campaign, live, token, today)
    return render_template(
        "intake/list.html",
        campaign=campaign,
        cons=live,
        page=page,
        pages=pages,
        rows=live.page((page - 1) * PAGE, page * PAGE),
        first=(page - 1) * PAGE,
        today=today,
        **extras._asdict(),
    )


@bp.post("/nguoi/<int:nominee_id>/khong-du-dieu-kien")
@guard(Action.REVIEW_DOSSIER, load=Nominee)
def ineligible(nominee):
    back = _back_to(nominee)
    with acting() as outcome:
        ops.mark_ineligible(
            current_user, nominee, reason=form_text("reason", "Lý do không đủ điều kiện")
        )
    if outcome.refused:
        return redirect(back)
    db.session.commit()
    flash(f"Đã đánh dấu {nominee.name} không đủ điều kiện.", "success")
    return redirect(back)


@bp.post("/nguoi/<int:nominee_id>/khoi-phuc")
@guard(Action.REVIEW_DOSSIER, load=Nominee)
def restore(nominee):
    with acting() as outcome:
        ops.restore_nominee(current_user, nominee)
    if outcome.refused:
        return redirect(_back_to(nominee))
    db.session.commit()
    flash(f"Đã đưa {nominee.name} trở lại danh sách.", "success")
    return redirect(_back_to(nominee))


def _back_to(nominee: Nominee) -> str:
    if request.form.get("next") == "list":
        return url_for(".consolidated", campaign_id=nominee.dossier.campaign_id)
    return url_for("nominations.show", dossier_id=nominee.dossier_id)


@bp.post("/<int:campaign_id>/gui-hoi-dong")
@guard(Action.REVIEW_DOSSIER, load=Campaign)
def send(campaign):
    raw_date = request.form.get("letter_date", "").strip()
    letter_date = parse_date(raw_date) if raw_date else local_now().date()
    if letter_date is None:
        flash(date_message(raw_date, "Ngày tờ trình"), "danger")
        return _send_refused(campaign)
    letter_number = form_text("letter_number", "Số tờ trình", max_len=60)
    note = form_text("note", "Ghi chú", max_len=2000)
    with acting(say=_unless_units_not_sent) as outcome:
        version = ops.send_to_council(
            current_user,
            campaign,
            letter_number=letter_number,
            letter_date=letter_date,
            note=note,
            from_register=request.form.get("letter_next") == "1",
            confirm_missing=request.form.get("confirm_missing") == "1",
        )
    if isinstance(outcome.error, ops.UnitsNotSent):  # ask first, naming them; nothing changed
        return render_template(
            "intake/confirm_send.html",
            campaign=campaign,
            units=outcome.error.units,
            letter_number=letter_number,
            letter_next=request.form.get("letter_next") == "1",
            letter_date=letter_date,
            note=note,
        )
    if outcome.refused:
        return _send_refused(campaign)
    db.session.commit()
    flash(
        f"Đã gửi Hội đồng danh sách phiên bản số {version.number}"
        + (f", tờ trình số {version.letter_number}." if version.letter_number else "."),
        "success",
    )
    return redirect(url_for(".version", campaign_id=campaign.id, number=version.number))


def _unless_units_not_sent(err: DomainError) -> None:
    """Units not sent are asked about on a page of their own, not said as a refusal."""
    if not isinstance(err, ops.UnitsNotSent):
        flash_refusal(err)


def _send_refused(campaign: Campaign):
    """Back to the list's "Gửi Hội đồng" form, with what was typed in it."""
    keep_typed("letter_number", "letter_date", "note")
    return redirect(url_for(".consolidated", campaign_id=campaign.id, _anchor="gui-hoi-dong"))


def sent_version(campaign: Campaign, number: int) -> ListVersion:
    version = db.session.scalar(
        select(ListVersion).where(
            ListVersion.campaign_id == campaign.id, ListVersion.number == number
        )
    )
    if version is None:
        abort(404)
    return version


@bp.get("/<int:campaign_id>/phien-ban/<int:number>")
@guard(Action.VIEW_LIST_VERSION, load=Campaign)
def version(campaign, number):
    version = sent_version(campaign, number)
    cons = version.consolidated()
    previous = db.session.scalar(
        select(ListVersion).where(
            ListVersion.campaign_id == campaign.id, ListVersion.number == number - 1
        )
    )
    diff = ops.version_diff(previous.consolidated(), cons) if previous else None
    versions = db.session.scalars(
        select(ListVersion)
        .where(ListVersion.campaign_id == campaign.id)
        .order_by(ListVersion.number)
    ).all()
    return render_template(
        "intake/version.html",
        campaign=campaign,
        version=version,
        cons=cons,
        diff=diff,
        versions=versions,
    )
