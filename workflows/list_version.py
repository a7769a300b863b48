"""A version of the consolidated list sent to the council (danh sách trình Hội đồng).

Sending the list freezes it as the next numbered version, the current one; a later version
sent for the same campaign supersedes it (the council votes on the latest). Created by the
Văn phòng's act (dossier/intake/operations.py: send_to_council). The state is called
"current", not "sent": the outbox's messages are "sent", a different thing.
"""

NAME = "list_version"
OBJECT = "list_version"
NOUN = "danh sách"
INITIAL = "current"
CREATED = "Gửi danh sách lên Hội đồng"  # the act that creates a version ("list_version.create")

STATES = [
    {"name": "current", "title": "Đã gửi Hội đồng, đang dùng", "badge": "primary"},
    {"name": "superseded", "title": "Đã có phiên bản mới hơn", "badge": "secondary"},
]

TERMINAL = ["superseded"]

TRANSITIONS = [
    {
        "trigger": "supersede",
        "title": "Thay bằng phiên bản mới",
        "source": ["current"],
        "dest": "superseded",
        "roles": [],
        "guards": [],
        "fired_by": "list_version.create",  # sending the next version of the same list
        "audit": "list_version_superseded",
    },
]
