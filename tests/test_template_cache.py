"""Templates compiled at install, read at run time (dossier/template_cache.py)."""

from __future__ import annotations

import re

import pytest

from dossier import create_app, template_install
from dossier.template_cache import InstalledTemplates
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
