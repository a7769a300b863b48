"""Static files under fingerprinted URLs (dossier/assets.py): a page names each CSS and JS file
with its content's fingerprint, the browser may keep such a file for a year, and a URL with
no fingerprint or a stale one is revalidated as before (nothing stale is pinned)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from dossier import assets

pytestmark = pytest.mark.one_backend("neutral")
STATIC = Path(assets.__file__).parent / "static"


def _assets_of(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/(?:bootstrap/)?static/[^"]+)"', html)


def test_every_asset_of_a_page_is_fingerprinted_and_cached_for_a_year(app, client):
    html = client.get("/dang-nhap").get_data(as_text=True)
    found = _assets_of(html)
    assert len(found) >= 6, found  # Bootstrap's CSS and JS, Popper, the datepicker, app.js/css
    for url in found:
        path, _, query = url.partition("?")
        assert re.fullmatch(r"v=[0-9a-f]{12}", query), url
        resp = client.get(url)
        assert resp.status_code == 200, url
        control = resp.headers["Cache-Control"]
        assert "immutable" in control and "max-age=31536000" in control, (url, control)
        assert "no-cache" not in control, (url, control)
        resp.close()


def test_the_fingerprint_is_the_content_hash(app, client):
    html = client.get("/dang-nhap").get_data(as_text=True)
    url = next(u for u in _assets_of(html) if u.startswith("/static/app.js"))
    digest = hashlib.sha256((STATIC / "app.js").read_bytes()).hexdigest()[:12]
    assert url == f"/static/app.js?v={digest}"


@pytest.mark.parametrize("query", ["", "?v=000000000000", "?v=", "?v=C8B5ACB1AEC5"])
def test_a_bare_or_stale_url_is_revalidated(app, client, query):
    resp = client.get("/static/app.js" + query)
    assert resp.status_code == 200
    control = resp.headers.get("Cache-Control", "")
    assert "immutable" not in control and "max-age=31536000" not in control, control
    resp.close()


def test_a_missing_file_keeps_its_plain_url_and_is_404(app, client):
    with app.test_request_context():
        from flask import url_for

        assert url_for("static", filename="nope.js") == "/static/nope.js"
    assert client.get("/static/nope.js?v=abc").status_code == 404


def test_our_scripts_send_no_request_after_the_page_loaded():
    """The browser tests check a page's CSP at its "load" event, not 500 ms of network idle:
    true while our own scripts never fetch (vendor scripts are Bootstrap's and the
    datepicker's, which do not either)."""
    sends = re.compile(r"\bfetch\s*\(|XMLHttpRequest|sendBeacon|new\s+(?:WebSocket|EventSource)")
    for script in STATIC.glob("*.js"):
        assert not sends.search(script.read_text(encoding="utf-8")), script.name
