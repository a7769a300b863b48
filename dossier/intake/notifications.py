"""Who is told what when the Văn phòng sends the list: receivers of the engine's signals.

No operation imports this module: the app connects it at start (create_app), and each
receiver only queues messages in the act's transaction.
"""

from __future__ import annotations

from ..notify import mail
from ..notify.recipients import distinct, send
from ..org.operations import council_members
from ..states import ListVersionTrigger
from ..workflow import on


@on(f"{ListVersionTrigger.object_type}.create")
def list_sent(version, **_) -> int:
    """The council of the campaign's year: a new version of the list is theirs to read."""
    campaign = version.campaign
    members = distinct(u for u, _ in council_members(campaign.year))
    return send(
        "list_sent",
        members,
        "list_sent",
        substitutes=False,  # a council seat is personal
        version=version,
        campaign=campaign,
        rows=len(version.consolidated().rows),
        link=mail.link("intake.version", campaign_id=campaign.id, number=version.number),
    )
