"""Hostile text and the checks every response and page must pass (shared by the sweeps)."""

from __future__ import annotations

from html.parser import HTMLParser

from markupsafe import escape

# What a unit could type to run script in someone else's browser (or a template engine).
PAYLOADS = (
    "B'+alert(1)+'",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }} ${7*7}",
)
NAME = PAYLOADS[0]  # the name of the stored XSS in issue 12: broke out of onclick="…'…'"


def escaped(text: str) -> str:
    return str(escape(text))


def csp(header: str | None) -> dict[str, list[str]]:
    """'a b; c d' -> {'a': ['b'], 'c': ['d']}"""
    directives = {}
    for part in (header or "").split(";"):
        name, *sources = part.split()
        if part.strip():
            directives[name.lower()] = sources
    return directives


def header_problems(resp) -> list[str]:
    """What this response lacks of the security headers (any response: page, file, error)."""
    h, problems = resp.headers, []
    policy = csp(h.get("Content-Security-Policy"))
    if not policy:
        return ["no Content-Security-Policy"]
    for name, want in (
        ("default-src", ["'self'"]),
        ("script-src", ["'self'"]),
        ("object-src", ["'none'"]),
        ("frame-ancestors", ["'none'"]),
        ("base-uri", ["'self'"]),
    ):
        if policy.get(name) != want:
            problems.append(f"CSP {name} is {policy.get(name)}, not {want}")
    for name, sources in policy.items():
        bad = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:"} & set(sources)
        if bad and not (name == "img-src" and bad == {"data:"}):
            problems.append(f"CSP {name} allows {sorted(bad)}")
    if h.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if h.get("Referrer-Policy") not in ("same-origin", "no-referrer"):
        problems.append(f"Referrer-Policy is {h.get('Referrer-Policy')}")
    if h.get("X-Frame-Options") != "DENY":
        problems.append(f"X-Frame-Options is {h.get('X-Frame-Options')}")
    return problems


class _Scan(HTMLParser):
    """Inline script, handlers, styles and javascript: URLs; and the links, for a crawl."""

    def __init__(self, *, styles: bool = False):
        super().__init__(convert_charrefs=True)
        self.styles = styles  # an e-mail's HTML has no CSP and needs inline styles
        self.problems: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script":
            src = values.get("src") or ""
            if not src:
                self.problems.append("inline <script>")
            elif not src.startswith("/") or src.startswith("//"):
                self.problems.append(f"script from elsewhere: {src}")
        if tag in ("style", "iframe", "object", "embed", "base"):
            self.problems.append(f"<{tag}> element")
        if tag == "img" and values.get("src") == "x":
            self.problems.append("injected <img src=x>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>: inline handler")
            if name == "style" and not self.styles:
                self.problems.append(f"<{tag} style={value!r}>: refused by style-src 'self'")
            squeezed = "".join((value or "").split()).lower()
            if squeezed.startswith(("javascript:", "vbscript:", "data:text/html")):
                self.problems.append(f"<{tag} {name}={value!r}>: script URL")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag in ("script", "style", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def scan(html: str, *, styles: bool = False) -> _Scan:
    parser = _Scan(styles=styles)
    parser.feed(html)
    parser.close()
    return parser


def html_problems(html: str, *, styles: bool = False) -> list[str]:
    return scan(html, styles=styles).problems


def page_text(html: str) -> str:
    """The page's text as a reader sees it: entities decoded, tags and scripts gone."""
    parser = scan(html)
    return " ".join(parser.text)


def shows_literally(html: str, text: str) -> bool:
    """The text is on the page as text: escaped in the source (never raw), literal to the
    reader."""
    raw_is_markup = any(c in text for c in "<>\"'&")
    return (
        escaped(text) in html and not (raw_is_markup and text in html) and text in page_text(html)
    )
