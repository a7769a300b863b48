"""Templates compiled at install, read at run time (dossier/template_cache.py)."""

from __future__ import annotations

import functools
import importlib.util
import re
import shutil
import subprocess
import sys

import jinja2
import pytest

from dossier import create_app, template_install
from dossier.template_cache import InstalledTemplates, _code_of, _fingerprint
from dossier.template_install import _Installer
from tests.conftest import _app_config

pytestmark = pytest.mark.one_backend("neutral")  # the sign-in page only: no data read


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    directory = tmp_path_factory.mktemp("template-cache")
    assert template_install.install(directory) > 50
    return directory


def page_and_compiles(tmp_path, monkeypatch, directory):
    app = create_app(_app_config(tmp_path))
    env = app.jinja_env
    env.bytecode_cache = InstalledTemplates(env, directory)
    compiled = []
    real = type(env).compile

    def counting(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return real(self, source, name, *args, **kwargs)

    monkeypatch.setattr(type(env), "compile", counting)
    html = app.test_client().get("/dang-nhap").get_data(as_text=True)
    return re.sub(r'value="[^"]{40,}"', "", html), compiled, app


def test_the_first_page_compiles_nothing_and_is_the_same(tmp_path, monkeypatch, installed):
    cached, compiled, _ = page_and_compiles(tmp_path, monkeypatch, installed)
    assert compiled == []
    fresh, compiled, _ = page_and_compiles(tmp_path, monkeypatch, tmp_path / "none")
    assert compiled and cached == fresh and "Đăng nhập" in cached


def test_nothing_is_written_at_run_time(tmp_path, monkeypatch):
    empty = tmp_path / "cache"
    empty.mkdir()
    _, compiled, _ = page_and_compiles(tmp_path, monkeypatch, empty)
    assert compiled and list(empty.iterdir()) == []


def test_an_edited_template_is_compiled_again(tmp_path, installed):
    app = create_app(_app_config(tmp_path))
    cache = InstalledTemplates(app.jinja_env, installed)
    source, filename, _ = app.jinja_loader.get_source(app.jinja_env, "base.html")
    key = cache.get_cache_key("base.html", filename)
    assert cache.get_bucket(app.jinja_env, "base.html", filename, source).code is not None
    edited = cache.get_bucket(app.jinja_env, "base.html", filename, source + " ")
    assert edited.key == key and edited.code is None


def test_a_changed_environment_is_compiled_again(tmp_path, installed):
    app = create_app(_app_config(tmp_path))
    env = app.jinja_env
    source, filename, _ = app.jinja_loader.get_source(env, "base.html")
    env.filters["new_filter"] = str  # a filter name decides what the compiler emits
    bucket = InstalledTemplates(env, installed).get_bucket(env, "base.html", filename, source)
    assert bucket.code is None


FILTER_V1 = "def describe(value):\n    return f'còn {value} ngày'\n"
FILTER_V2 = (
    "from jinja2 import pass_context\n\n\n@pass_context\n"
    "def describe(context, value):\n    return f'còn {value} ngày (tính đến {context[\"now\"]})'\n"
)


def _env_with_filter(module_file, template_dir, directory, cache_class):
    """A Jinja environment whose one filter comes from `module_file`, freshly imported."""
    spec = importlib.util.spec_from_file_location("release_filters", module_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(template_dir), autoescape=True)
    env.filters["describe"] = module.describe
    env.bytecode_cache = cache_class(env, directory)
    return env


def test_a_filter_now_called_another_way_is_compiled_again(tmp_path):
    """Same name, same module, now `pass_context`: the code compiled for the old filter
    would call it wrongly (TypeError), so the changed module must miss the cache."""
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "t.html").write_text("Hạn: {{ cutoff | describe }}")
    directory = tmp_path / "cache"
    directory.mkdir()
    module_file = tmp_path / "release_filters.py"
    module_file.write_text(FILTER_V1)
    _env_with_filter(module_file, tmp_path / "t", directory, _Installer).get_template("t.html")
    assert len(list(directory.glob("*.cache"))) == 1
    module_file.write_text(FILTER_V2)  # the next release; the template is untouched
    env = _env_with_filter(module_file, tmp_path / "t", directory, InstalledTemplates)
    assert env.get_template("t.html").render(cutoff=3, now="03/12") == (
        "Hạn: còn 3 ngày (tính đến 03/12)"
    )


def test_a_damaged_file_is_compiled_again(tmp_path, monkeypatch, installed):
    """A cache file cut short (a full disk at install): the page is drawn as without it."""
    damaged = tmp_path / "damaged"
    shutil.copytree(installed, damaged)
    app = create_app(_app_config(tmp_path))
    cache = InstalledTemplates(app.jinja_env, damaged)
    _, filename, _ = app.jinja_loader.get_source(app.jinja_env, "base.html")
    path = damaged / f"{cache.get_cache_key('base.html', filename)}.cache"
    path.write_bytes(path.read_bytes()[:20])  # inside the pickled checksum
    cached, compiled, _ = page_and_compiles(tmp_path, monkeypatch, damaged)
    fresh, _, _ = page_and_compiles(tmp_path, monkeypatch, tmp_path / "none")
    assert "base.html" in compiled and cached == fresh


def test_the_install_and_the_server_agree_on_the_environment(tmp_path):
    """The fingerprint is computed by the installer's process and again by each server's:
    nothing in it may differ between processes (a memory address, a secret)."""
    probe = (
        "import sys, tempfile\n"
        "from dossier import create_app\n"
        "from dossier.template_cache import _fingerprint\n"
        "app = create_app({'SECRET_KEY': 'another', 'SQLALCHEMY_DATABASE_URI': 'sqlite://',"
        " 'UPLOAD_FOLDER': tempfile.mkdtemp()})\n"
        "print(_fingerprint(app.jinja_env))\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert other == _fingerprint(create_app(_app_config(tmp_path)).jinja_env)


def test_a_partial_filter_is_named_without_its_address():
    """A `functools.partial` has no qualified name; its repr's memory address differs in
    every process and would make the installed cache miss for ever."""
    first = _code_of(functools.partial(_fingerprint), {})
    again = _code_of(functools.partial(_fingerprint), {})
    assert " at 0x" not in first and first == again
