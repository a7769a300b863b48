"""Schemathesis against the OpenAPI document: every operation, as a token of each role, on
the demo's data. No 500, every response matches its schema, and no list or record holds an
object outside what access.can() lets that token's user see."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from dossier.access import Action, can
from dossier.decisions.models import Decision
from dossier.extensions import db
from dossier.nominations.models import Dossier
from tests.api_builders import ROLE_LOGINS, bearer, token, user

EXAMPLES = 5  # per operation; each example is called with the six roles' tokens
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(demo_loaded):
    app = demo_loaded
    app.config["RATELIMIT_API"] = "1000000/minute"
    app.config["RATELIMIT_PER_ADDRESS"] = "1000000/minute"
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def _in_scope(reader, path: str, body) -> None:
    """What came back is within what the pages would show this reader."""
    if path == "/api/v1/dossiers":
        for i in _ids(body):
            assert can(reader, Action.VIEW_DOSSIER, db.session.get(Dossier, i)), i
    elif path == "/api/v1/decisions":
        for i in _ids(body):
            assert can(reader, Action.VIEW_DECISION, db.session.get(Decision, i)), i
    elif path.startswith("/api/v1/dossiers/") and isinstance(body, dict) and "unit" in body:
        assert can(reader, Action.VIEW_DOSSIER, db.session.get(Dossier, body["id"]))


def _ids(body, key: str = "items") -> set[int]:
    if isinstance(body, dict) and isinstance(body.get(key), list):
        return {i["id"] for i in body[key] if isinstance(i, dict) and "id" in i}
    return set()


def test_api_conforms_for_every_role(api_schema):
    """Schemathesis's strategies per operation, driven by Hypothesis here (its pytest plugin
    does not run under pytest 9 yet)."""
    tokens = {role: (user(login), token(user(login))) for role, login in ROLE_LOGINS.items()}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 14
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            for reader, secret in tokens.values():
                response = case.call(headers=bearer(secret))
                case.validate_response(response, checks=CHECKS)
                if (
                    response.status_code == 200
                    and "json" in (response.headers.get("content-type") or [""])[0]
                ):
                    _in_scope(reader, case.path, response.json())
                db.session.rollback()  # nothing a refused act did reaches the next role

        run()


def test_every_operation_is_documented(app):
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}
    documented = {p.replace("{", "<").replace("}", ">") for p in doc["paths"]}
    assert len(rules) == len(documented) == len(doc["paths"])
    for operations in doc["paths"].values():
        for op in operations.values():
            if isinstance(op, dict):  # path-level "parameters" is a list
                assert {"401", "403", "404", "429"} <= set(op["responses"])
