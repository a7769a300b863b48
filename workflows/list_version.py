"""A version of the consolidated list sent to the council (danh sách trình Hội đồng).

Sending the list freezes it as the next numbered version; a later version sent for the
same campaign supersedes it (the council votes on the latest). Created in "sent" by the
Văn phòng's act (dossier/intake/operations.py: send_to_council).
"""

NAME = "list_version"
OBJECT = "list_version"
NOUN = "danh sách"
INITIAL = "sent"
CREATED = "Gửi danh sách lên Hội đồng"  # the act that creates a version ("list_version.create")

STATES = [
    {"name": "sent", "title": "Đã gửi Hội đồng", "badge": "primary"},
    {"name": "superseded", "title": "Đã có phiên bản mới hơn", "badge": "secondary"},
]

TERMINAL = ["superseded"]

TRANSITIONS = [
    {
        "trigger": "supersede",
        "title": "Thay bằng phiên bản mới",
        "source": ["sent"],
        "dest": "superseded",
        "roles": [],
        "guards": [],
        "fired_by": "list_version.create",  # sending the next version of the same list
        "audit": "list_version_superseded",
    },
]
