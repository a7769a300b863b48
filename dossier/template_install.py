"""`python -m dossier.template_install`: every template of the app compiled into
`.template-cache/` (dossier/template_cache.py reads it at run time); run by
scripts/setup.sh. Kept apart from template_cache.py, which the app imports: this module
imports the app."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from jinja2.bccache import Bucket

from . import create_app
from .template_cache import DIRECTORY, InstalledTemplates


class _Installer(InstalledTemplates):
    def dump_bytecode(self, bucket: Bucket) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            bucket.write_bytecode(f)
            f.flush()
            os.fsync(f.fileno())  # whole on disk before it takes the template's name
        os.replace(tmp, self._path(bucket))


def install(directory: Path = DIRECTORY) -> int:
    """Compile every template of the app into `directory` (emptied first); the count."""
    with tempfile.TemporaryDirectory() as tmp:
        # An explicit configuration: nothing read from the environment, nothing written
        # into the instance folder, no database but one in memory.
        app = create_app(
            {
                "SECRET_KEY": "template-cache",
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "UPLOAD_FOLDER": tmp,
            }
        )
    directory.mkdir(exist_ok=True)
    for old in directory.glob("*.cache"):
        old.unlink()
    env = app.jinja_env
    env.bytecode_cache = _Installer(env, directory)
    count = 0
    for name in env.list_templates():
        env.get_template(name)
        count += 1
    return count


if __name__ == "__main__":
    print(f"template-install: {install()} templates compiled into {DIRECTORY}")
