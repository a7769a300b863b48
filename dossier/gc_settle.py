"""The cyclic garbage collector's full passes, kept short in a long-running worker (issue 17).

wsgi.py freezes what start-up built (`gc.freeze()`: the modules, functions and classes of
Flask, SQLAlchemy, Jinja and the app, ~170,000 objects) so that no collection walks it
again. The first requests then build more that lives as long as the worker: compiled
templates, SQLAlchemy's compiled statements, the kept findings. At province size a full
pass over those took ~12 ms, once every dozen intake pages.

After the worker's first GC_FREEZE_AFTER_REQUESTS requests (its caches warm) the objects
alive then are frozen too, once: later full passes took ~3 ms. Nothing is freed later than
it would be otherwise: reference counting frees as before; only a reference cycle alive at
that moment and dropped later is kept (one request's worth, once). 0 turns it off; tests
run with it off (they build thousands of apps).
"""

from __future__ import annotations

import gc
import threading

from flask import Flask


def init_app(app: Flask) -> None:
    after = int(app.config.get("GC_FREEZE_AFTER_REQUESTS") or 0)
    if after <= 0 or app.testing:
        return
    lock = threading.Lock()
    state = {"seen": 0, "done": False}

    @app.teardown_request
    def _settle(_exc) -> None:
        if state["done"]:
            return
        with lock:
            state["seen"] += 1
            if state["seen"] >= after and not state["done"]:
                state["done"] = True
                gc.freeze()  # O(1): moves the generations' lists, walks nothing
