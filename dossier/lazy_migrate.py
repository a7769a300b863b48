"""Flask-Migrate without importing Alembic at start-up (issue 17: a first request within 1 s).

Alembic (with Mako and Pygments) costs about 0.3 s of CPU in every process, and only
`flask db …` and code that calls `flask_migrate.upgrade()` need it. The app registers
this stand-in instead of `Migrate.init_app`: the same `app.extensions["migrate"]` (`db`,
`directory`, `configure_args`, and `migrate`, the real `Migrate`, built on first use) and a
`db` command group that hands over to Flask-Migrate's own group when it is run.
"""

from __future__ import annotations

import click

# Flask-Migrate's defaults for Migrate(compare_type=…, render_as_batch=…).
CONTEXT_ARGS = {"compare_type": True, "render_as_batch": True}


class MigrateConfig:
    """What Flask-Migrate's `_MigrateConfig` offers, with the `Migrate` made on demand."""

    def __init__(self, db, directory: str) -> None:
        self.db = db
        self.directory = directory
        self.configure_args = dict(CONTEXT_ARGS)
        self._migrate = None

    @property
    def migrate(self):
        if self._migrate is None:
            from flask_migrate import Migrate

            self._migrate = Migrate(db=self.db, directory=self.directory, **CONTEXT_ARGS)
        return self._migrate

    @property
    def metadata(self):
        return self.db.metadata


class DbGroup(click.Group):
    """`flask db`: listed by `flask --help` for free; Flask-Migrate's group parses and runs it."""

    def make_context(self, info_name, args, parent=None, **extra):
        from flask_migrate.cli import db as real

        return real.make_context(info_name, args, parent=parent, **extra)


def init_app(app, db, directory: str) -> None:
    app.extensions["migrate"] = MigrateConfig(db, str(directory))
    app.cli.add_command(DbGroup("db", help="Perform database migrations (Flask-Migrate)."))
