"""Who is told what about substitution: receivers of the engine's signals.

No operation imports this module: the app connects it at start (create_app), and each
receiver only queues messages in the act's transaction.
"""

from __future__ import annotations

from ..notify import mail
from ..notify.recipients import send
from ..states import DelegationTrigger
from ..timeutil import vn_date
from ..workflow import on
from .delegation import delegable_roles


@on(f"{DelegationTrigger.object_type}.create")
def delegation_created(delegation, **_) -> int:
    """The substitute learns what they will stand in for, and when."""
    return send(
        "delegation_created",
        [delegation.substitute],
        "delegation_created",
        substitutes=False,
        delegation=delegation,
        roles=[r.title for r in delegable_roles(delegation.delegator)],
        starts_on=vn_date(delegation.starts_on),
        ends_on=vn_date(delegation.ends_on),
        link=mail.link("delegation.mine"),
    )
