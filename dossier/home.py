"""The home page that tells each role what to do next, and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import text

from .access import Action, guard, public
from .extensions import db

bp = Blueprint("home", __name__)


@bp.get("/")
@guard(Action.HOME)
def index():
    from .inbox import tasks_for

    return render_template("home.html", tasks=tasks_for(current_user))


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means: take this instance out of rotation
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
