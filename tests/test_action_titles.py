"""What the timelines and the audit page call an event: a transition by its row's title.

The rows in workflows/ are the only place a transition's title is written; the other
events (creating, editing, signing in…) are named in template_helpers.EVENT_TITLES.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from flask import render_template_string

from dossier.template_helpers import EVENT_TITLES
from dossier.workflow import FLOWS

ROOT = Path(__file__).resolve().parent.parent
ROWS = [
    (flow.name, trigger, row.get("audit", trigger), row["title"])
    for flow in FLOWS.values()
    for trigger, row in flow.rows.items()
]


def _shown(action: str) -> str:
    """The title as the audit trail's templates draw it."""
    return render_template_string("{{ action_titles.get(a, a) }}", a=action)


def test_every_transition_is_shown_by_its_rows_title(app):
    with app.test_request_context("/"):
        wrong = [
            (flow, trigger, _shown(event), title)
            for flow, trigger, event, title in ROWS
            # A timeline sentence goes on after the actor's name: "…: tiếp nhận".
            if _shown(event) != title[:1].lower() + title[1:]
        ]
    assert not wrong, wrong


def test_no_other_title_is_written_for_a_transition():
    """A title here for a row's event would be a second place its title is written."""
    events = {event for _flow, _trigger, event, _title in ROWS}
    assert not events & set(EVENT_TITLES)


def test_titles_are_vietnamese_in_nfc():
    for title in [*EVENT_TITLES.values(), *(t for *_rest, t in ROWS)]:
        assert title == unicodedata.normalize("NFC", title) and title.strip() == title
        assert not re.search(r"[A-Za-z]+_[a-z]", title), title  # no identifier shown


# Where code names the event it records: `action="…"` (or a conditional of two), and the
# nominations' and history's helpers that take it as an argument.
_RECORDS = re.compile(r"\baction=|\b_changed\(|\b_fact_audit\(")
_NAME = re.compile(r"""["']([a-z][a-z_]*(?:\.[a-z_]+)?)["']""")
# Quoted words on those lines that are not events.
_NOT_EVENTS = {
    "audit",
    "agency",
    "user",
    "system",
    "roots",
    "rating",
    "year",
    "title",
    "decision",
    "level",
}


def test_every_event_the_code_records_has_a_title(app):
    recorded = {}
    for path in (ROOT / "dossier").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _RECORDS.search(line) and "def " not in line and "action=(" not in line:
                for name in _NAME.findall(line):
                    recorded.setdefault(name, f"{path.relative_to(ROOT)}:{number}")
    recorded = {k: v for k, v in recorded.items() if k not in _NOT_EVENTS}
    assert {"login", "created", "api_token.issue", "rating_set"} <= set(recorded)
    with app.test_request_context("/"):
        untitled = {name: where for name, where in recorded.items() if _shown(name) == name}
    assert not untitled, untitled


def test_the_decision_page_names_its_rows_from_the_table(app, as_user):
    """decisions/show.html: the correction button shows where the "mark_corrected" row
    leaves from (DecisionTrigger.MARK_CORRECTED), and the timeline says what the rows say."""
    from dossier.decisions import operations as ops
    from dossier.extensions import db
    from tests.decision_builders import approved, people, sign_and_issue

    campaign, *_ = approved(2)
    office, director, _deputy = people()
    decision = ops.draft(office, campaign)
    db.session.commit()
    client = as_user(office)
    page = client.get(f"/quyet-dinh/{decision.id}").get_data(as_text=True)
    assert "Lập quyết định đính chính" not in page  # a draft is edited, not corrected
    sign_and_issue(director, decision)
    db.session.commit()
    page = client.get(f"/quyet-dinh/{decision.id}").get_data(as_text=True)
    assert "Lập quyết định đính chính" in page
    timeline = page.split('data-testid="timeline"', 1)[1]
    assert ": cấp số, ban hành" in timeline and ": ký quyết định" in timeline
    assert "ký, ban hành quyết định" not in timeline
