"""Templates compiled at install, read at run time (issue 17: a first request within 1 s).

Jinja turns each template into Python code the first time a process renders it: about
40 ms of the first request (the sign-in page and the base layout), and again in every
worker for every page. `python -m dossier.template_install` (run by scripts/setup.sh, like
`compileall` for the modules) compiles every template the app can load into
`.template-cache/` beside the code. At run time the app only reads that directory, never
writes it (app servers share nothing but PostgreSQL): a template whose source changed
since, or an environment whose compiling options changed (Jinja's version, delimiters,
extensions, the filters' and tests' source files, autoescaping...), does not match its checksum and
is compiled as it would be without the cache. No directory: every template is compiled
on first use, as before.
"""

from __future__ import annotations

import inspect
import pickle
import re
from hashlib import sha1
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

DIRECTORY = Path(__file__).resolve().parent.parent / ".template-cache"


_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def _code_of(value, file_hashes: dict[str, str]) -> str:
    """A callable's qualified name and the hash of the source file that defines it: Jinja
    compiles into a template how a filter is called (`pass_context` and the like) and the
    value of a filter applied to constants, so any change to the module of a filter, a test,
    the autoescape choice or `finalize` must miss the cache. A closure adds its captured
    values (`select_autoescape(["html"])`), memory addresses left out so that the install
    and the server agree. A builtin or a bool: its repr."""
    if not callable(value):
        return repr(value)
    func = inspect.unwrap(getattr(value, "__func__", value))
    label = getattr(func, "__qualname__", None) or _ADDRESS.sub("", repr(func))  # a partial
    parts = [f"{getattr(func, '__module__', '')}.{label}"]
    code = getattr(func, "__code__", None)  # none for a builtin: nothing of ours to change
    source = code.co_filename if code is not None else None
    if source and Path(source).is_file():
        if source not in file_hashes:
            file_hashes[source] = sha1(Path(source).read_bytes()).hexdigest()
        parts.append(file_hashes[source])
    for cell in getattr(func, "__closure__", None) or ():
        try:
            captured = cell.cell_contents
        except ValueError:  # an empty cell
            captured = None
        parts.append(_ADDRESS.sub("", repr(captured)))
    return "|".join(parts)


def _fingerprint(env: jinja2.Environment) -> str:
    """What, besides a template's source, decides the code Jinja compiles it to."""

    def name(value) -> str:
        return getattr(value, "__qualname__", repr(value))

    file_hashes: dict[str, str] = {}

    def code(value) -> str:
        return _code_of(value, file_hashes)

    parts = [
        jinja2.__version__,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        repr(env.line_statement_prefix),
        repr(env.line_comment_prefix),
        repr((env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline)),
        repr((env.newline_sequence, env.optimized, env.is_async)),
        code(env.autoescape),
        code(env.finalize),
        name(env.code_generator_class),
        name(env.context_class),
        ",".join(sorted(env.extensions)),
        *(f"filter {k}={code(f)}" for k, f in sorted(env.filters.items())),
        *(f"test {k}={code(f)}" for k, f in sorted(env.tests.items())),
    ]
    return sha1("\0".join(parts).encode()).hexdigest()


class InstalledTemplates(BytecodeCache):
    """Jinja's bytecode cache over a directory filled at install: read, never written."""

    def __init__(self, env: jinja2.Environment, directory: Path = DIRECTORY) -> None:
        self.env = env
        self.directory = directory
        self._print: str | None = None

    def get_source_checksum(self, source: str) -> str:
        if self._print is None:  # the environment is complete by the first template
            self._print = _fingerprint(self.env)
        return sha1(f"{self._print}\0{source}".encode()).hexdigest()

    def _path(self, bucket: Bucket) -> Path:
        return self.directory / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            with open(self._path(bucket), "rb") as f:
                bucket.load_bytecode(f)
        except OSError:
            pass  # not installed: compiled in memory, as without a cache
        except (EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()  # a truncated or damaged file: compiled in memory too

    def dump_bytecode(self, bucket: Bucket) -> None:
        pass  # nothing is written at run time


def init_app(app) -> None:
    app.jinja_env.bytecode_cache = InstalledTemplates(app.jinja_env)
