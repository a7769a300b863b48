"""The council's pages: meetings, attendance, voting, paper tallies, results, minutes."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import Action, can, guard
from ..campaigns.models import Campaign
from ..errors import acting, flash_message
from ..extensions import db
from ..intake.models import ListVersion
from ..params import date_message, form_int, form_ints, form_text, keep_typed, parse_date, parse_int
from ..timeutil import local_now
from . import operations as ops
from . import recusals
from .forms import CouncilSettingForm
from .models import CouncilSetting, Meeting
from .settings import save_setting

bp = Blueprint("council", __name__, url_prefix="/hoi-dong")
MAX_BALLOTS = 10_000  # paper ballots of one council: far above any, far below overflow


def _done(meeting: Meeting, fn, success: str):
    """Run one operation in a savepoint; commit once on success; on refusal change nothing."""
    with acting() as outcome:
        fn()
    if outcome.refused:
        return redirect(url_for(".show", meeting_id=meeting.id))
    db.session.commit()
    flash(success, "success")
    return redirect(url_for(".show", meeting_id=meeting.id))


@bp.get("/")
@guard(Action.VIEW_MEETING)
def index():
    meetings = db.session.scalars(select(Meeting).order_by(Meeting.held_on.desc())).all()

    ready = db.session.scalars(
        select(Campaign).where(Campaign.id.in_(select(ListVersion.campaign_id)))
    ).all()
    return render_template(
        "council/index.html", meetings=meetings, campaigns=ready, today=local_now().date()
    )


@bp.post("/tao")
@guard(Action.MANAGE_MEETING)
def create():
    campaign = db.session.get(Campaign, form_int("campaign_id", 0))
    if campaign is None:
        abort(404)
    held_on = parse_date(request.form.get("held_on"))
    if held_on is None:
        flash(date_message(request.form.get("held_on"), "Ngày họp"), "danger")
        keep_typed("campaign_id", "held_on", "place", "guests")
        return redirect(url_for(".index", _anchor="tao-phien-hop"))
    place = form_text("place", "Địa điểm", max_len=200)
    guests = form_text("guests", "Khách mời", max_len=2000)
    with acting(say=flash_message) as outcome:
        meeting = ops.create_meeting(
            current_user, campaign, held_on=held_on, place=place, guests=guests
        )
    if outcome.refused:
        keep_typed("campaign_id", "held_on", "place", "guests")
        return redirect(url_for(".index", _anchor="tao-phien-hop"))
    db.session.commit()
    flash("Đã tạo phiên họp. Hãy ghi danh sách thành viên có mặt.", "success")
    return redirect(url_for(".show", meeting_id=meeting.id))


@bp.route("/cai-dat", methods=["GET", "POST"])
@guard(Action.MANAGE_MEETING)
def settings():
    """How the council counts: written views, the minimum of ballots (each with its source)."""
    setting = CouncilSetting.get()
    form = CouncilSettingForm(obj=setting)
    if form.validate_on_submit():
        with acting() as outcome:
            save_setting(current_user, setting, form.data)
        if not outcome.refused:
            db.session.commit()
            flash("Đã lưu cài đặt kiểm phiếu của Hội đồng (áp dụng cho phiên họp mới).", "success")
            return redirect(url_for(".settings"))
    db.session.commit()  # the defaults, created on first visit
    page = render_template("council/settings.html", form=form, setting=setting)
    return page, 422 if form.errors else 200


@bp.get("/<int:meeting_id>")
@guard(Action.VIEW_MEETING, load=Meeting)
def show(meeting):
    rows = ops.rows(meeting)
    me = next((a for a in meeting.attendance if a.member_id == current_user.id), None)
    todo = ops.still_to_vote(meeting, current_user.id) if me and meeting.voting else set()
    present, members, quorum_ok = ops.quorum(meeting)
    results = {r.nominee_id: r for r in meeting.current_results} if meeting.counted else {}
    rows_by_id = {r.nominee_id: r for r in rows}
    return render_template(
        "council/show.html",
        meeting=meeting,
        rows=rows,
        me=me,
        todo=todo,
        progress=ops.progress(meeting),
        present=present,
        members=members,
        quorum_ok=quorum_ok,
        results=results,
        own=ops.own_nominations(current_user),
        my_recusals=recusals.of_member(meeting, current_user.id) if me else {},
        history=[(r, rows_by_id.get(r.nominee_id)) for r in ops.history(meeting)],
        absent=[a for a in meeting.attendance if not a.present],
        can_manage=can(current_user, Action.MANAGE_MEETING, meeting),
        is_secretary=can(current_user, Action.SECRETARY, meeting),
    )


@bp.post("/<int:meeting_id>/co-mat")
@guard(Action.MANAGE_MEETING, load=Meeting)
def attendance(meeting):
    ids = set(form_ints("present"))
    return _done(
        meeting,
        lambda: ops.set_attendance(
            current_user, meeting, version=request.form.get("version"), present_ids=ids
        ),
        "Đã ghi danh sách có mặt.",
    )


def _choices(prefix: str = "vote_") -> tuple[dict[int, bool], dict[int, str]]:
    votes, recusals = {}, {}
    for key, value in request.form.items():
        if not key.startswith(prefix):
            continue
        nominee_id = parse_int(key[len(prefix) :])
        if nominee_id is None:
            abort(400)
        if value in ("agree", "disagree"):
            votes[nominee_id] = value == "agree"
        elif value == "recuse":
            recusals[nominee_id] = form_text(
                f"reason_{nominee_id}", "Lý do không tham gia", max_len=500
            )
        elif value:
            abort(400)
    return votes, recusals


@bp.post("/<int:meeting_id>/bo-phieu")
@guard(Action.VOTE, load=Meeting)
def vote(meeting):
    votes, recusals = _choices()
    return _done(
        meeting,
        lambda: ops.cast(current_user, meeting, votes=votes, recusals=recusals),
        f"Đã ghi nhận phiếu kín của anh/chị ({len(votes)} người).",
    )


@bp.post("/<int:meeting_id>/y-kien-van-ban")
@guard(Action.SECRETARY, load=Meeting)
def written(meeting):
    votes, _ = _choices()
    member_id = form_int("member_id", 0)
    return _done(
        meeting,
        lambda: ops.record_written(current_user, meeting, member_id=member_id, votes=votes),
        "Đã ghi nhận ý kiến bằng văn bản.",
    )


@bp.post("/<int:meeting_id>/phieu-giay")
@guard(Action.SECRETARY, load=Meeting)
def paper(meeting):
    numbers = {
        k: parse_int(request.form.get(k), hi=MAX_BALLOTS)
        for k in ("issued", "returned", "valid", "agree")
    }
    if None in numbers.values():
        flash(f"Số phiếu phải là số nguyên từ 0 đến {MAX_BALLOTS}.", "danger")
        return redirect(url_for(".show", meeting_id=meeting.id))
    nominee_id = form_int("nominee_id", 0)
    return _done(
        meeting,
        lambda: ops.enter_paper_tally(current_user, meeting, nominee_id=nominee_id, **numbers),
        "Đã nhập kết quả kiểm phiếu giấy.",
    )


@bp.get("/<int:meeting_id>/bien-ban.pdf")
@guard(Action.VIEW_MEETING, load=Meeting)
def minutes(meeting):
    if not meeting.counted:
        flash("Biên bản chỉ có sau khi đóng biểu quyết.", "warning")
        return redirect(url_for(".show", meeting_id=meeting.id))
    # Heavy (reportlab): loaded when the minutes are downloaded.
    from .minutes import minutes_data
    from .minutes_pdf import render

    name = f"bien-ban-hoi-dong-{meeting.year}-{meeting.id}.pdf"
    return Response(
        render(minutes_data(meeting)),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
