"""gc_settle: a worker's long-lived objects leave the collector's generations once it is warm
(issue 17: full collections were the intake page's p95 at province size)."""

from __future__ import annotations

import gc

import pytest

from dossier import create_app
from tests.conftest import _app_config

pytestmark = pytest.mark.one_backend("neutral")


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the session collects as before


def test_a_warm_worker_freezes_once(tmp_path, unfrozen):
    app = create_app({**_app_config(tmp_path), "TESTING": False, "GC_FREEZE_AFTER_REQUESTS": 3})
    client = app.test_client()
    for _ in range(2):
        client.get("/dang-nhap")
    assert gc.get_freeze_count() == 0
    client.get("/dang-nhap")
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # the modules' functions and classes, at least
    made_since = [[] for _ in range(1000)]
    for _ in range(3):
        client.get("/dang-nhap")
    # Once only: what was made since stays in the generations (a second freeze would add
    # these 1,000 lists; frozen objects freed by their reference count leave the count).
    assert gc.get_freeze_count() <= frozen
    del made_since


@pytest.mark.parametrize("config", [{"GC_FREEZE_AFTER_REQUESTS": 0}, {"TESTING": True}])
def test_off_when_set_to_zero_or_testing(tmp_path, unfrozen, config):
    app = create_app({**_app_config(tmp_path), "TESTING": False, **config})
    client = app.test_client()
    for _ in range(25):
        client.get("/dang-nhap")
    assert gc.get_freeze_count() == 0
