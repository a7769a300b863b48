"""States and transitions live in workflows/ only: no product file writes their names.

Code compares with the enums of dossier/states.py, templates ask predicates
(`dossier.editable`, `meeting.voting`) or the enums given to them as globals
(`DecisionTrigger.SIGN`, `enums.NomineeStatus.PROPOSED`), and the CHECK constraints are
built from the same enums. Migrations are history and keep the SQL they ran; tests may
assert on stored values.

Three vocabularies are scanned:
- the tables' states, anywhere in a product file (code, templates, HTML attributes);
- the tables' triggers and the audit events their rows write ("decision_signed"), and the
  status values of the enums compared in templates (a nominee's status, where a
  substitution period stands today), in Python code and inside the templates' `{{ … }}`
  and `{% … %}` (a bare HTML attribute such as `type="submit"` is HTML, not a trigger).
  Each enum's own definition is its one place.
"""

from __future__ import annotations

import re
from pathlib import Path

from dossier.enums import DelegationPeriod, NomineeStatus
from dossier.workflow import FLOWS

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ["dossier", "templates", "bench", "scripts", "wsgi.py"]


def _quoted(words) -> re.Pattern:
    return re.compile(r"""(["'])(""" + "|".join(sorted(words)) + r""")\1""")


STATES = sorted({state for flow in FLOWS.values() for state in flow.states})
TRIGGERS = sorted({trigger for flow in FLOWS.values() for trigger in flow.rows})
EVENTS = sorted({r["audit"] for f in FLOWS.values() for r in f.rows.values() if "audit" in r})
# Status enums compared in templates (outside the five tables): where each is defined.
STATUS_ENUMS = {NomineeStatus: "dossier/enums.py", DelegationPeriod: "dossier/enums.py"}
STATUSES = {str(m): home for enum, home in STATUS_ENUMS.items() for m in enum}

QUOTED = _quoted(STATES)
NAMED = _quoted([*TRIGGERS, *EVENTS, *STATUSES])
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)

# (file or folder, the quoted word): the same word in another vocabulary.
ALLOWED = {
    ("dossier/enums.py", "open"): "BallotKind.OPEN, an open (public) vote, is not a state",
    ("dossier/history/models.py", "revoked"): "the name of an award record's CHECK constraint",
    ("dossier/history/html.py", "revoked"): "an award record's test id (drawn in Python)",
    ("dossier/history/demo.py", "revoke"): "the demo's plan of decisions: the revoking one",
    ("dossier/council/views.py", "council"): "the blueprint's name",
    ("dossier/org/operations.py", "active"): "an account's `active` flag in its audit data",
    ("dossier/campaigns/", "active"): "an award rule's `active` flag (a column, a form field)",
    ("bench/stats.py", "active"): "a row's `active` column, inserted by the benchmark",
    ("dossier/council/", "issued"): "a paper tally's count of ballots given out (phát ra)",
    ("dossier/council/", "returned"): "a paper tally's count of ballots handed back (thu về)",
    ("templates/council/show.html", "issued"): "the paper tally form's field",
    ("templates/council/show.html", "returned"): "the paper tally form's field",
    # A mail's kind (notify/outbox.EVENT_TITLES) is named after the event it tells of.
    ("dossier/notify/outbox.py", "vote_opened"): "the kind of mail sent when a vote opens",
    ("dossier/notify/outbox.py", "vote_closed"): "the kind of mail sent with the results",
    ("dossier/notify/outbox.py", "decision_issued"): "the kind of mail sent on issuing",
    ("dossier/council/notifications.py", "vote_opened"): "the mail's kind and template",
    ("dossier/council/notifications.py", "vote_closed"): "the mail's kind and template",
    ("dossier/decisions/notifications.py", "decision_issued"): "the mail's kind and template",
}


def _files():
    for name in SCANNED:
        path = ROOT / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from (p for p in path.rglob("*") if p.suffix in (".py", ".html"))


def _allowed(rel: str, word: str) -> bool:
    if STATUSES.get(word) == rel:
        return True  # the status enum's own definition
    return any(rel.startswith(where) and word == w for where, w in ALLOWED)


def _matches(rel: str, text: str):
    """(line number, quoted word) of every name this file writes."""
    for match in QUOTED.finditer(text):
        yield text.count("\n", 0, match.start()) + 1, match.group(2)
    parts = (
        [(0, text)]
        if rel.endswith(".py")
        else [(m.start(), m.group(0)) for m in JINJA.finditer(text)]
    )
    for offset, part in parts:
        for match in NAMED.finditer(part):
            yield text.count("\n", 0, offset + match.start()) + 1, match.group(2)


def found_in(rel: str, text: str) -> list[str]:
    lines = text.splitlines()
    return [
        f"{rel}:{number}: {lines[number - 1].strip()}"
        for number, word in _matches(rel, text)
        if not _allowed(rel, word)
    ]


def test_no_state_or_transition_name_is_written_outside_workflows():
    found = []
    for path in _files():
        rel = path.relative_to(ROOT).as_posix()
        found += found_in(rel, path.read_text(encoding="utf-8"))
    assert not found, "state, trigger or status names outside workflows/:\n" + "\n".join(found)


def test_the_scan_sees_what_it_looks_for():
    """The patterns catch both quotes and every name (a scan that finds nothing proves
    nothing)."""
    assert {"draft", "preparing", "current", "in_force", "revoked"} <= set(STATES)
    assert {"submit", "mark_corrected", "sign", "propose", "reopen"} <= set(TRIGGERS)
    assert {"decision_signed", "vote_reopened"} <= set(EVENTS)
    assert {"proposed", "ineligible"} <= set(STATUSES)
    assert QUOTED.search("""x.state == "draft" """) and QUOTED.search("state in ('open',)")
    assert not QUOTED.search('"drafted"') and not QUOTED.search("'open\"")


def test_the_scan_catches_the_lines_it_was_written_for():
    """What templates and code wrote before: a trigger, an audit event, a nominee status."""
    template = "templates/x.html"
    assert found_in(template, "{% if d.state in flow_of(d).sources('mark_corrected') %}")
    assert found_in(template, "{% if e.action == 'decision_signed' %}")
    assert found_in(template, "{% if n.status != 'proposed' %}x{% endif %}")
    assert found_in(template, "{%\n elif n.status == 'ineligible' %}")
    assert found_in("dossier/council/minutes.py", 'if e.action == "vote_reopened"')
    assert found_in("dossier/x/views.py", 'fire(d, "submit", ctx)')
    assert found_in("dossier/x/views.py", 'q.where(Nominee.status == "proposed")')
    assert found_in(template, "{{ 'bg-success' if st == 'active' else '' }}")
    # HTML outside Jinja's tags is not code; the enum's own home may define its values.
    assert not found_in(template, '<button type="submit">Gửi</button>')
    assert not found_in("dossier/enums.py", 'PROPOSED = "proposed", "Đề nghị"')


def test_allowed_entries_are_still_needed():
    """An allow-list entry nobody needs any more is removed, so the list stays short."""
    used = set()
    for path in _files():
        rel = path.relative_to(ROOT).as_posix()
        for _number, word in _matches(rel, path.read_text(encoding="utf-8")):
            used |= {(w, x) for w, x in ALLOWED if rel.startswith(w) and x == word}
    assert used == set(ALLOWED)
