"""Thi đua, khen thưởng: the application factory (reads like a table of contents)."""

from __future__ import annotations

import gc
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """The app. The cyclic garbage collector is paused while it is built: the import of
    some 1,000 modules allocates objects that all live on, and the full collections this
    set off cost about 0.3 s of CPU for nothing (issue 17: a first request within 1 s)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _build(config)
    finally:
        if paused:
            gc.enable()


def _build(config: dict | None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, template_folder=str(ROOT / "templates"))
    configure_settings(app, config)
    configure_proxy(app)
    configure_input(app)
    configure_extensions(app)
    configure_blueprints(app)
    configure_api(app)
    configure_errors(app)
    configure_security(app)
    configure_templates(app)
    configure_cli(app)
    configure_notifications(app)
    return app


def configure_settings(app: Flask, config: dict | None) -> None:
    from . import config as settings

    settings.load(app, config)


def configure_proxy(app: Flask) -> None:
    """Trust X-Forwarded-For/Proto/Host/Port/Prefix from as many proxies as configured."""
    hops = {
        part: app.config[f"PROXY_FIX_X_{part.upper()}"]
        for part in ("for", "proto", "host", "port", "prefix")
    }
    if any(hops.values()):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, **{f"x_{k}": v for k, v in hops.items()})


def configure_input(app: Flask) -> None:
    from . import params

    params.init_app(app)  # before the blueprints: every `<int:…>` uses the bounded converter


def configure_extensions(app: Flask) -> None:
    from . import throttle  # registers the database:// storage for the limiter
    from .db import configure_engine, configure_pool
    from .extensions import bootstrap, csrf, db, limiter, login_manager
    from .lazy_migrate import init_app as init_migrate
    from .sqlite import configure_sqlite

    db.init_app(app)
    init_migrate(app, db, directory=str(ROOT / "migrations"))  # Alembic loaded by `flask db`
    login_manager.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    throttle.register(app)
    with app.app_context():
        configure_engine(db.engine)
        configure_pool(db.engine)
        configure_sqlite(db.engine)
    from .council import erasure

    erasure.init_app(app)  # deleted ballots leave the database files after the commit
    from . import inbox as badge
    from . import models  # noqa: F401  (every table known to Alembic and create_all)
    from .council import inbox as _council_inbox  # noqa: F401  (registers council tasks)
    from .decisions import inbox as _decision_inbox  # noqa: F401  (registers decision tasks)
    from .nominations import inbox  # noqa: F401  (registers the dossier tasks)

    badge.init_app(app)  # the navigation badge's per-user count, cached until a write
    from . import memo, versioning
    from .intake import findings

    versioning.init_app(app)  # the content version: a new token with every committed write
    findings.init_app(app)  # the intake checks' findings, kept while that token holds
    memo.init_app(app)  # small values (a list's count, a filter's choices), the same way
    from . import gc_settle

    gc_settle.init_app(app)  # short full collections once the worker is warm


def configure_blueprints(app: Flask) -> None:
    from . import acts, home
    from .campaigns import rule_views  # noqa: F401  (routes on the campaigns blueprint)
    from .campaigns import views as campaign_views
    from .certificates import views as certificate_views
    from .council import views as council_views
    from .decisions import views as decision_views
    from .help import views as help_views
    from .history import fact_views
    from .history import views as history_views
    from .intake import export_views  # noqa: F401  (routes on the intake blueprint)
    from .intake import views as intake_views
    from .mail_actions import views as mail_action_views
    from .nominations import (
        file_views,
        report_views,  # noqa: F401  (routes on the nominations blueprint)
    )
    from .nominations import views as nomination_views
    from .notify import views as outbox_views
    from .org import admin_views, auth_views, delegation_views
    from .register import views as register_views

    for bp in (
        home.bp,
        auth_views.bp,
        admin_views.bp,
        campaign_views.bp,
        nomination_views.bp,
        file_views.bp,
        intake_views.bp,
        history_views.bp,
        fact_views.bp,
        council_views.bp,
        decision_views.bp,
        help_views.bp,
        certificate_views.bp,
        delegation_views.bp,
        mail_action_views.bp,
        outbox_views.bp,
        register_views.bp,
        acts.bp,
    ):
        app.register_blueprint(bp)


def configure_api(app: Flask) -> None:
    """The JSON API under /api/v1 (flask-smorest), its reference page and token pages."""
    from .api import setup, views
    from .stats import views as stats_views

    app.json.ensure_ascii = False  # Vietnamese as UTF-8 in every JSON body, not \u escapes
    setup.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(stats_views.bp)


def configure_errors(app: Flask) -> None:
    from . import errors

    errors.register(app)


def configure_security(app: Flask) -> None:
    from . import assets, security

    security.init_app(app)  # CSP, nosniff, frame and referrer policy, HSTS over HTTPS
    assets.init_app(app)  # static files under fingerprinted URLs, cached for a year


def configure_templates(app: Flask) -> None:
    from . import template_cache, template_helpers

    template_helpers.register(app)
    template_cache.init_app(app)  # templates compiled at install (scripts/setup.sh), read only


def configure_cli(app: Flask) -> None:
    from . import cli

    cli.register(app)


def configure_notifications(app: Flask) -> None:
    """Who is told what: each package's receivers of the engine's signals (blinker),
    connected once; no operation imports them."""
    from .council import notifications as _council  # noqa: F401
    from .decisions import notifications as _decisions  # noqa: F401
    from .intake import notifications as _intake  # noqa: F401
    from .nominations import notifications as _nominations  # noqa: F401
    from .org import notifications as _org  # noqa: F401
