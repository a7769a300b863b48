"""The first URLs of three decision acts (trình ký, ký, ban hành) are judged by their rows.

They are guarded as the generic act view is (who may see the decision), then answer 403,
as they always did, unless the row's roles allow the user; the rows are the only place
who may fire an act is written (access.py has no sign/issue rule of its own).
"""

from __future__ import annotations

import pytest

from dossier.access import Action
from dossier.decisions import operations as ops
from dossier.extensions import db
from dossier.states import DecisionTrigger
from dossier.workflow import FLOWS
from tests.decision_builders import approved, clerk, people

OLD_URLS = {
    DecisionTrigger.SEND_FOR_SIGNING: "trinh-ky",
    DecisionTrigger.SIGN: "ky",
    DecisionTrigger.ISSUE: "ban-hanh",
}


def test_the_rule_for_signing_and_issuing_is_gone_from_access():
    assert not {"sign_decision", "issue_decision", "cancel_delegation"} & {a.value for a in Action}


@pytest.mark.parametrize("trigger", list(OLD_URLS))
def test_an_old_url_answers_403_unless_the_row_allows(app, as_user, trigger):
    c, *_ = approved(2)
    office, director, _deputy = people()
    actors = {"office": office, "director": director, "clerk": clerk()}
    decision = ops.draft(office, c)
    if trigger == DecisionTrigger.ISSUE:
        ops.sign(director, decision, version=decision.version)
    db.session.commit()
    row = FLOWS["decision"].rows[trigger]
    for name, user in actors.items():
        resp = as_user(user).post(
            f"/quyet-dinh/{decision.id}/{OLD_URLS[trigger]}",
            {"version": decision.version},
            page=f"/quyet-dinh/{decision.id}",
        )
        expected = 302 if name in row["roles"] else 403  # allowed: the act, then its page
        assert resp.status_code == expected, (trigger, name)
        db.session.expire_all()
    assert decision.state == row["dest"]  # the one allowed did the act
