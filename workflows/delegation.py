"""A substitution period (làm thay khi vắng mặt).

Stored states are only "in force" and "cancelled": whether a period in force is planned,
running or over follows from its dates and today (dossier/org/delegation.py), so nothing
has to move it at midnight.
"""

NAME = "delegation"
OBJECT = "delegation"
NOUN = "việc làm thay"
INITIAL = "in_force"

STATES = [
    {"name": "in_force", "title": "Còn hiệu lực", "badge": "success"},
    {"name": "cancelled", "title": "Đã hủy", "badge": "secondary", "stamp": "cancelled_at"},
]

TERMINAL = ["cancelled"]

TRANSITIONS = [
    {
        "trigger": "cancel",
        "title": "Hủy việc làm thay",
        "source": ["in_force"],
        "dest": "cancelled",
        "roles": ["delegator", "admin"],
        "guards": ["not_ended"],
        "audit": "delegation_cancelled",
        "page": "delegations",  # the list of one's substitutes has its own "Hủy" button
    },
]
