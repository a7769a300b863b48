"""The OpenAPI document filled in on first read (dossier/api/setup.py LocalApi) is the one
flask-smorest builds when it documents each blueprint as it is registered."""

from __future__ import annotations

import json
import threading

import pytest
from flask_smorest import Api

from dossier import create_app
from dossier.api.setup import LocalApi
from tests.conftest import _app_config

pytestmark = pytest.mark.one_backend("neutral")  # no database read: the same on both


def document(tmp_path) -> str:
    app = create_app(_app_config(tmp_path))
    return json.dumps(app.extensions["dossier-api"].spec.to_dict(), ensure_ascii=False)


def test_the_deferred_document_is_the_eager_one(tmp_path, monkeypatch):
    lazy = document(tmp_path)
    monkeypatch.setattr(LocalApi, "register_blueprint", Api.register_blueprint)
    eager = document(tmp_path)
    assert lazy == eager
    assert '"/api/v1/' in lazy


def test_threads_reading_it_first_all_see_the_whole_document(tmp_path):
    app = create_app(_app_config(tmp_path))
    api = app.extensions["dossier-api"]
    assert api._pending_docs  # nothing documented at start
    start = threading.Barrier(4)
    seen = []

    def read():
        start.wait()
        seen.append(json.dumps(api.spec.to_dict()))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 4 and len(set(seen)) == 1 and '"/api/v1/' in seen[0]
