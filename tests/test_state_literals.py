"""States live in workflows/ only: no product file writes a state name as a string.

Code compares with the enums of dossier/states.py, templates ask predicates
(`dossier.editable`, `meeting.voting`) or the enums given to them as globals, and the
CHECK constraints are built from the same enums. Migrations are history and keep the SQL
they ran; tests may assert on stored values.
"""

from __future__ import annotations

import re
from pathlib import Path

from dossier.workflow import FLOWS

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ["dossier", "templates", "bench", "scripts", "wsgi.py"]
STATES = sorted({state for flow in FLOWS.values() for state in flow.states})
QUOTED = re.compile(r"""(["'])(""" + "|".join(STATES) + r""")\1""")

# (file or folder, the quoted word): the same word in another vocabulary.
ALLOWED = {
    ("dossier/enums.py", "open"): "BallotKind.OPEN, an open (public) vote, is not a state",
    ("dossier/enums.py", "revoked"): "NomineeStatus.REVOKED, a nominee's own status",
    ("dossier/history/models.py", "revoked"): "the name of an award record's CHECK constraint",
    ("dossier/history/html.py", "revoked"): "an award record's test id (drawn in Python)",
    ("dossier/council/views.py", "council"): "the blueprint's name",
    ("dossier/council/", "issued"): "a paper tally's count of ballots given out (phát ra)",
    ("dossier/council/", "returned"): "a paper tally's count of ballots handed back (thu về)",
    ("templates/council/show.html", "issued"): "the paper tally form's field",
    ("templates/council/show.html", "returned"): "the paper tally form's field",
}


def _files():
    for name in SCANNED:
        path = ROOT / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from (p for p in path.rglob("*") if p.suffix in (".py", ".html"))


def _allowed(rel: str, word: str) -> bool:
    return any(rel.startswith(where) and word == w for where, w in ALLOWED)


def test_no_state_name_is_written_outside_workflows():
    found = []
    for path in _files():
        rel = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in QUOTED.finditer(line):
                if not _allowed(rel, match.group(2)):
                    found.append(f"{rel}:{number}: {line.strip()}")
    assert not found, "state names outside workflows/:\n" + "\n".join(found)


def test_the_scan_sees_what_it_looks_for():
    """The pattern catches both quotes and every state (a scan that finds nothing proves
    nothing)."""
    assert {"draft", "preparing", "current", "in_force", "revoked"} <= set(STATES)
    assert QUOTED.search("""x.state == "draft" """) and QUOTED.search("state in ('open',)")
    assert not QUOTED.search('"drafted"') and not QUOTED.search("'open\"")


def test_allowed_entries_are_still_needed():
    """An allow-list entry nobody needs any more is removed, so the list stays short."""
    used = set()
    for path in _files():
        rel = path.relative_to(ROOT).as_posix()
        for match in QUOTED.finditer(path.read_text(encoding="utf-8")):
            used |= {(w, x) for w, x in ALLOWED if rel.startswith(w) and x == match.group(2)}
    assert used == set(ALLOWED)
