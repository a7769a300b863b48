"""gc_settle: a worker's long-lived objects leave the collector's generations once it is warm
(issue 17). The test session freezes its own start (tests/conftest.py), so counts are compared
with what was frozen before; objects frozen and then freed leave the count (it may go down)."""

from __future__ import annotations

import gc

import pytest

from dossier import create_app
from tests.conftest import _app_config

pytestmark = pytest.mark.one_backend("neutral")


def test_a_warm_worker_freezes_once(tmp_path):
    app = create_app({**_app_config(tmp_path), "TESTING": False, "GC_FREEZE_AFTER_REQUESTS": 3})
    client = app.test_client()
    before = gc.get_freeze_count()
    made_before = [[] for _ in range(1000)]  # alive, in the generations: frozen at the third
    for _ in range(2):
        client.get("/dang-nhap")
    assert gc.get_freeze_count() <= before
    client.get("/dang-nhap")
    frozen = gc.get_freeze_count()
    assert frozen >= before + 1000
    made_since = [[] for _ in range(1000)]
    for _ in range(3):
        client.get("/dang-nhap")
    assert gc.get_freeze_count() <= frozen  # once only: these 1,000 lists stay unfrozen
    del made_before, made_since


@pytest.mark.parametrize("config", [{"GC_FREEZE_AFTER_REQUESTS": 0}, {"TESTING": True}])
def test_off_when_set_to_zero_or_testing(tmp_path, config):
    app = create_app({**_app_config(tmp_path), "TESTING": False, **config})
    client = app.test_client()
    before = gc.get_freeze_count()
    alive = [[] for _ in range(1000)]
    for _ in range(25):
        client.get("/dang-nhap")
    assert gc.get_freeze_count() <= before
    del alive
