"""Filters and globals every template shares: dates in Vietnamese, the permission layer."""

from __future__ import annotations

from flask_login import current_user

from . import timeutil
from .access import Action, can, can_fire
from . import enums
from .enums import CouncilPosition, Gender, Role, UnitKind


def register(app) -> None:
    app.jinja_env.filters.update(
        vn_date=timeutil.vn_date,
        vn_datetime=timeutil.vn_datetime,
        short_date=timeutil.short_date,
        time_left=timeutil.time_left,
        describe_cutoff=timeutil.describe_cutoff,
    )

    @app.context_processor
    def _globals():
        def allowed(action, obj=None):
            return can(current_user, action, obj)

        def allowed_fire(trigger, obj):
            return current_user.is_authenticated and can_fire(current_user, trigger, obj)

        return {
            "now_local": timeutil.local_now(),
            "can": allowed,
            "can_fire": allowed_fire,
            "Action": Action,
            "Role": Role,
            "CouncilPosition": CouncilPosition,
            "Gender": Gender,
            "UnitKind": UnitKind,
            "enums": enums,
        }
