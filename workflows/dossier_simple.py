"""The simplified procedure (thủ tục đơn giản) for ad hoc awards (khen thưởng đột xuất).

A unit proposes someone whose achievement is clear and sudden: no cut-off (it is sent when
it happens), a shorter dossier (the tờ trình and a summary of the achievement, no full
báo cáo thành tích and no minutes of the unit's meeting), and, by default, no council vote:
the Văn phòng checks it and puts it before the Director. Which of these the law requires
and which are settings is written in README ("Thủ tục đơn giản").

The steps the two procedures share are the yearly table's own rows, so a change to one of
them (its title, its button) holds for both.
"""

from . import dossier as yearly

NAME = "dossier_simple"
OBJECT = "dossier"  # the same object as the yearly procedure: one audit trail, one signal
NOUN = "hồ sơ"
TITLE = "Thủ tục đơn giản (khen thưởng đột xuất)"
INITIAL = "draft"

CUTOFF = False  # [setting] no cut-off: an ad hoc award is proposed when the feat happens
COUNCIL = False  # [setting] True: the council votes on these dossiers too, as yearly ones
# [setting] The shorter dossier: per nominee a summary of the achievement, no minutes.
# No signed scans asked of the whole dossier ("scans": a fixed empty list).
DOSSIER = {"minutes": False, "components": ["summary"], "scans": []}

_SKIPPED = set() if COUNCIL else {"council"}  # no state "before the council" without one
STATES = [s for s in yearly.STATES if s["name"] not in _SKIPPED]
EDITABLE = yearly.EDITABLE
SENT = [s for s in yearly.SENT if s not in _SKIPPED]
REVIEWABLE = [s for s in yearly.REVIEWABLE if s not in _SKIPPED]
TERMINAL = yearly.TERMINAL

_ROWS = {row["trigger"]: row for row in yearly.TRANSITIONS}

# Without the council, the Văn phòng puts the checked dossier before the Director: its
# nominees are then approved (or proposed upward), as a council's "pass" would make them.
PROPOSE = {
    "trigger": "propose",
    "title": "Trình Giám đốc quyết định",
    "source": ["accepted"],
    "dest": "decided",
    "roles": ["office"],
    "guards": ["has_nominees"],
    "button": "primary",
    "confirm": "Trình Giám đốc khen thưởng những người còn trong hồ sơ này?",
    "done": "Đã trình Giám đốc; Văn phòng lập dự thảo quyết định.",
}

TRANSITIONS = [
    {**_ROWS["submit"], "guards": ["complete"]},  # no cut-off to meet
    _ROWS["withdraw"],
    _ROWS["return_for_revision"],
    _ROWS["accept"],
    *(
        [_ROWS["send_to_council"], _ROWS["record_decision"], _ROWS["reopen_vote"]]
        if COUNCIL
        else [PROPOSE]
    ),
    _ROWS["issue"],
]
