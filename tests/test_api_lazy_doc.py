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


def test_a_document_that_failed_is_never_served_half_built(tmp_path, monkeypatch):
    """An eager Api would have failed at start; the lazy one fails at every read instead of
    serving a document with no paths."""
    app = create_app({**_app_config(tmp_path), "TESTING": False})
    real, calls = LocalApi._document, []

    def fails_once(self, *args):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a schema that cannot be documented")
        return real(self, *args)

    monkeypatch.setattr(LocalApi, "_document", fails_once)
    client = app.test_client()
    assert client.get("/api/v1/openapi.json").status_code == 500
    again = client.get("/api/v1/openapi.json")
    assert again.status_code == 500 and "paths" not in again.get_json()
    assert len(calls) == 1


def test_serving_the_document_leaves_the_spec_as_it_was(tmp_path):
    """openapi.json adds the common error answers to a copy, not to the spec's own paths
    (`flask openapi print` would otherwise differ once the page had been served)."""
    app = create_app(_app_config(tmp_path))
    api = app.extensions["dossier-api"]
    before = json.dumps(api.spec.to_dict(), ensure_ascii=False)
    served = app.test_client().get("/api/v1/openapi.json").get_json()
    assert any(
        "429" in op.get("responses", {})
        for ops in served["paths"].values()
        for op in ops.values()
        if isinstance(op, dict)
    )
    assert json.dumps(api.spec.to_dict(), ensure_ascii=False) == before
