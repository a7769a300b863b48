"""Security headers on every response: what a page may load and run, and who may frame it.

The policy allows only what the app itself serves: its own CSS and JS (Bootstrap from
/bootstrap/static, dossier/static/app.js), images from itself or data: URLs (Bootstrap's CSS
draws its icons as data: SVGs). No inline script, no inline style attribute, no eval: a
stored name that slips past escaping still cannot run. Scripts may set styles through the
CSSOM (Bootstrap and Popper do); CSP does not govern that.
"""

from __future__ import annotations

from flask import Flask, Response, request

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)
HSTS = "max-age=31536000"  # one year; no includeSubDomains: other hosts of the domain are not ours


def add_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    # A stricter policy set by a view stays (the e-mail link pages send no-referrer).
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:  # true behind a reverse proxy once ProxyFix trusts its headers
        headers["Strict-Transport-Security"] = HSTS
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
