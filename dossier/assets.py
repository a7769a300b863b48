"""Static files (the app's CSS and JS, Bootstrap's, the vendored libraries) cached by the
browser for a year under a URL that names their content.

Every `url_for('static', …)` and `url_for('bootstrap.static', …)` gets `?v=` and the first 12
hex digits of the file's SHA-256; a response to such a URL says `immutable`, so a browser
loads the page's eight CSS and JS files once and never asks again (without it, every page
view sent eight conditional requests that each answered 304: on a phone over a slow link,
eight round trips per page). A new release changes the file and so its URL. A request with
no `v`, or an old one, gets the default (revalidate every time), so nothing stale is pinned.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, current_app, request

STATIC_ENDPOINTS = ("static", "bootstrap.static")
YEAR = 365 * 24 * 3600
_versions: dict[tuple[str, str, float], str] = {}  # (folder, file, mtime in debug) -> hash


def _folder(endpoint: str) -> str | None:
    if endpoint == "static":
        return current_app.static_folder
    blueprint = current_app.blueprints.get(endpoint.partition(".")[0])
    return blueprint.static_folder if blueprint is not None else None


def version(endpoint: str, filename: str) -> str | None:
    """The content's fingerprint, or None when the file is not there (the URL stays bare).
    Files are read once per process; with the reloader on (development) an edited file is
    noticed by its modification time."""
    folder = _folder(endpoint)
    if not folder:
        return None
    mtime = 0.0
    if current_app.debug:
        try:
            mtime = (Path(folder) / filename).stat().st_mtime
        except (OSError, ValueError):
            return None
    key = (folder, filename, mtime)
    if key in _versions:  # every page asks for the same few files: no path built for them
        return _versions[key]
    path = Path(folder) / filename
    try:
        found = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except (OSError, ValueError):
        found = None  # not a file (yet): looked for again next time
    else:
        _versions[key] = found
    return found


def _add_version(endpoint: str, values: dict) -> None:
    if endpoint in STATIC_ENDPOINTS and "v" not in values and values.get("filename"):
        fingerprint = version(endpoint, values["filename"])
        if fingerprint:
            values["v"] = fingerprint


def _cache_fingerprinted(response: Response) -> Response:
    if request.endpoint not in STATIC_ENDPOINTS or response.status_code not in (200, 304):
        return response
    asked = request.args.get("v")
    filename = (request.view_args or {}).get("filename")
    if asked and filename and asked == version(request.endpoint, filename):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    app.url_defaults(_add_version)
    app.after_request(_cache_fingerprinted)
