"""The home page that tells each role what to do next, and the health check."""

from __future__ import annotations

from flask import Blueprint, g, render_template
from flask_login import current_user
from sqlalchemy import text

from .access import Action, guard, public
from .errors import reset_session
from .extensions import db
from .inbox import task_list
from .params import page_within

bp = Blueprint("home", __name__)


PAGE = 50


@bp.get("/")
@guard(Action.HOME)
def index():
    tasks = task_list(current_user)
    g.task_count = len(tasks)  # the badge reads the same list
    page, pages = page_within(len(tasks), PAGE)
    return render_template(
        "home.html",
        tasks=tasks[(page - 1) * PAGE : page * PAGE],
        page=page,
        pages=pages,
        total=len(tasks),
    )


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means: take this instance out of rotation
        reset_session()  # not a refusal: the connection itself failed
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
