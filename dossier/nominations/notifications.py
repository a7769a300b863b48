"""Who is told what about a unit's dossier: receivers of the engine's signals.

No operation imports this module: the app connects it at start (create_app), and each
receiver only queues messages in the act's transaction.
"""

from __future__ import annotations

from ..enums import FixComponent
from ..notify import mail
from ..notify.recipients import send, unit_people
from ..states import DossierTrigger
from ..workflow import on


@on(DossierTrigger.RETURN_FOR_REVISION)
def dossier_returned(dossier, **_) -> int:
    """The unit (and whoever stands in for its people) gets the fix list."""
    items = []
    for item in dossier.fix_items:
        if item.revision == dossier.revision and not item.resolved:
            who = item.nominee.name if item.nominee else "Cả hồ sơ"
            items.append(f"{who} – {FixComponent(item.component).title_vi}: {item.reason}")
    return send(
        "dossier_returned",
        unit_people([dossier.unit_id]),
        "dossier_returned",
        dossier=dossier,
        unit=dossier.unit,
        campaign=dossier.campaign,
        items=items,
        link=mail.link("nominations.show", dossier_id=dossier.id),
    )


@on(DossierTrigger.ACCEPT)
def dossier_accepted(dossier, **_) -> int:
    return send(
        "dossier_accepted",
        unit_people([dossier.unit_id]),
        "dossier_accepted",
        dossier=dossier,
        unit=dossier.unit,
        campaign=dossier.campaign,
        link=mail.link("nominations.show", dossier_id=dossier.id),
    )
