"""Browser contexts used again, clean, instead of a new one per test.

A new Chromium context costs about 0.7 s of CPU (a new profile in the browser process and a
new renderer: measured with every descendant process reaped), against about 0.35 s for a
new page and a navigation. The browser tests open some 90 of them. `PooledBrowser` hands
out a context that behaves as a new one, with the same options: no cookies, no permissions
granted, each page the test opens a new one (its listeners, history, sessionStorage and
settings die with it). Closing it gives it back instead. What a context would carry from
one user to the next and cannot be wiped here (init scripts, routes, listeners, extra
headers, offline mode, a tracing run) makes the context "used": it is really closed.

One page of the last user stays open, on about:blank, with no cookie left: while it lives,
the next test's pages start about 1 s of CPU cheaper each (measured on test_role_tasks.py:
70 s -> 52 s CPU for 16 tests), Chromium keeping its renderer process. Tests never see it:
none of them lists a context's pages.

Other state a context keeps: the HTTP cache (static files only: the app's pages are not
cacheable, they have no validator nor lifetime), visited links (unseen by scripts), and
localStorage/IndexedDB, which neither the app nor its vendored scripts use.
"""

from __future__ import annotations

from typing import Any

# Calls that leave something in the context that a later user would inherit.
TAINTING = frozenset(
    {
        "add_init_script",
        "expose_binding",
        "expose_function",
        "on",
        "once",
        "route",
        "route_from_har",
        "route_web_socket",
        "set_default_navigation_timeout",
        "set_default_timeout",
        "set_extra_http_headers",
        "set_geolocation",
        "set_offline",
        "tracing",
    }
)


class PooledContext:
    """A BrowserContext; `close()` returns it to the pool wiped, unless it was marked used."""

    def __init__(self, pool: PooledBrowser, key: tuple, context: Any):
        self._pool, self._key, self._context = pool, key, context
        self._used = False
        self._closed = False

    def __getattr__(self, name: str) -> Any:
        if name in TAINTING:
            self._used = True
        return getattr(self._context, name)

    def close(self, **kwargs: Any) -> None:
        if self._closed:
            return
        self._closed = True
        if self._used or kwargs:
            self._context.close(**kwargs)
            return
        try:
            pages = list(self._context.pages)
            for page in pages[1:]:
                page.close()
            if pages:  # kept, on a blank page, for its renderer process (see above)
                pages[0].goto("about:blank")
            self._context.clear_cookies()
            self._context.clear_permissions()
        except Exception:  # a context in a bad state is not given to anyone again
            self._context.close()
            return
        self._pool._idle.setdefault(self._key, []).append(self._context)


class PooledBrowser:
    """The Browser, whose `new_context` reuses a wiped context made with the same options."""

    def __init__(self, browser: Any):
        self._browser = browser
        self._idle: dict[tuple, list[Any]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)

    def new_context(self, **options: Any) -> PooledContext:
        key = tuple(sorted((k, repr(v)) for k, v in options.items()))
        idle = self._idle.get(key)
        context = idle.pop() if idle else self._browser.new_context(**options)
        return PooledContext(self, key, context)
