"""The council meeting's vote (phiên họp Hội đồng thi đua, khen thưởng).

The Văn phòng prepares the meeting (the list, who is present); the Chủ tịch opens the vote
once the quorum is met, closes it (the ballots are opened and counted, the dossiers move
on) or reopens a closed vote with a reason. Reopening starts a new round of voting
(Meeting.round, incremented by the row's operation in dossier/council/closing.py): every
member present votes again and the earlier round's results are kept as superseded history.
The states need no more than these three: a round is "open" or "closed" like the meeting.
The ballots themselves are not transitions: a member votes while the meeting is open
(dossier/council/operations.py).

Guards (dossier/council/guards.py; "comment" is the engine's own):
  quorum   the members present reach the meeting's quorum (2/3 by default)
  comment  the chair wrote the reason for reopening
"""

NAME = "meeting"
OBJECT = "meeting"
NOUN = "phiên họp"
INITIAL = "preparing"

STATES = [
    {"name": "preparing", "title": "Chuẩn bị", "badge": "secondary"},
    {"name": "open", "title": "Đang biểu quyết", "badge": "success", "stamp": "opened_at"},
    {"name": "closed", "title": "Đã đóng biểu quyết", "badge": "dark", "stamp": "closed_at"},
]

TERMINAL = []  # a closed vote can always be reopened, with a reason
ATTENDANCE = ["preparing"]  # the Văn phòng records who is present
VOTING = ["open"]  # ballots, written views and paper tallies are accepted
COUNTED = ["closed"]  # the results and the minutes exist

TRANSITIONS = [
    {
        "trigger": "open",
        "title": "Mở biểu quyết",
        "source": ["preparing"],
        "dest": "open",
        "roles": ["council_chair"],
        "guards": ["quorum"],
        "audit": "vote_opened",
        "task": "Mở biểu quyết",  # on the to-do list of whoever may fire it
        "button": "success",
        "done": "Đã mở biểu quyết.",
    },
    {
        "trigger": "close",
        "title": "Đóng biểu quyết",
        "source": ["open"],
        "dest": "closed",
        "roles": ["council_chair"],
        "guards": [],
        "audit": "vote_closed",
        "task": "Đóng biểu quyết khi đủ phiếu",
        "button": "danger",
        "confirm": "Đóng biểu quyết và công bố kết quả?",
        "done": "Đã đóng biểu quyết và công bố kết quả.",
    },
    # Reopening is its own row (not "open" again) so that what a new round of voting needs
    # hangs on it: its operation (the round number goes up; the new round starts empty), its
    # signal "meeting.reopen", the dossiers' "reopen_vote".
    {
        "trigger": "reopen",
        "title": "Mở lại biểu quyết",
        "source": ["closed"],
        "dest": "open",
        "roles": ["council_chair"],
        "guards": ["comment"],
        "audit": "vote_reopened",
        "clear": ["closed_at"],
        "button": "outline-warning",
        "comment": "Lý do mở lại",
        "done": "Đã mở lại biểu quyết.",
    },
]
