"""URL builders compiled on first use (dossier/routing.py) build exactly what Werkzeug's
eagerly compiled ones build."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import Map, Rule

from dossier.routing import LazyBuildRule

PATTERNS = (
    "/ho-so/<int:dossier_id>/tep/<path:name>",
    "/dot/<int:campaign_id>",
    "/danh-sach",
    "/muc/<rule>",  # an argument named like the builder's own first parameter
)
VALUES = (
    {"dossier_id": 7, "name": "a b/ờ.pdf", "page": 2},
    {"campaign_id": 3, "q": "Nguyễn", "rule": "x"},
    {},
    {"rule": "khen-thưởng", "self": "1"},
)


def built(rule_class: type[Rule]) -> list:
    url_map = Map([rule_class(p, endpoint=str(i)) for i, p in enumerate(PATTERNS)])
    adapter = url_map.bind("example.test", "/")
    out = []
    for i, values in enumerate(VALUES):
        for unknown in (True, False):
            out.append(adapter.build(str(i), values, append_unknown=unknown))
    out.append(adapter.build("2", {"next": "/ho-so/?page=2"}))
    return out


def test_lazy_builders_build_the_same_urls_as_werkzeugs():
    assert built(LazyBuildRule) == built(Rule)


def test_a_builder_is_compiled_once_and_kept_on_the_rule():
    url_map = Map([LazyBuildRule("/dot/<int:campaign_id>", endpoint="c")])
    adapter = url_map.bind("example.test", "/")
    assert adapter.build("c", {"campaign_id": 1, "x": 2}) == "/dot/1?x=2"
    (rule,) = url_map.iter_rules()
    kept = rule._build_unknown
    assert adapter.build("c", {"campaign_id": 2}) == "/dot/2"
    assert rule._build_unknown is kept


def test_the_app_adds_its_routes_as_lazy_rules(app: Flask):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    assert rules and all(isinstance(r, LazyBuildRule) for r in rules)
