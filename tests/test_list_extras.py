"""The intake pages' data kept while the content version stands (intake/page_data.py, issue
17): on the intake page the units, their dossiers, cut-offs and nominee counts; on the
consolidated list the ineligible nominees, the tờ trình's next number and the units that owe
a dossier; on both the "changed since version N" banner. After any sequence of writes each
page is exactly the page drawn with nothing kept.

The harness never commits (each test's transaction is rolled back): `_commit()` does what a
commit does to the content version (versioning.committed) without ending the transaction.
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask import current_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier import versioning
from dossier.campaigns.operations import grant_extension
from dossier.enums import NomineeStatus, Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.intake import operations as ops
from dossier.nominations import operations as dossier_ops
from dossier.states import DossierState
from dossier.timeutil import now
from tests import builders as b
from tests import dossier_builders as db_
from tests.intake_builders import submitted

CSRF = re.compile(r'name="csrf_token" value="[^"]*"')


def _commit() -> None:
    db.session.flush()
    versioning.committed(db.session.connection())


def _page(client, campaign) -> list[str]:
    pages = (f"/tiep-nhan/{campaign.id}", f"/tiep-nhan/{campaign.id}/danh-sach")
    return [CSRF.sub("", client.get(url).get_data(as_text=True)) for url in pages]


def _with_nothing_kept(client, campaign) -> list[str]:
    store = current_app.extensions.pop("version_memo")
    try:
        return _page(client, campaign)
    finally:
        current_app.extensions["version_memo"] = store


class World:
    def __init__(self) -> None:
        self.campaign = db_.campaign()
        self.office = b.user(Role.OFFICE)
        self.sent, _ = submitted(
            self.campaign, [("Lê Thị Thảo", "LDTT"), ("Lê Văn Cường", "LDTT")], state="accepted"
        )
        self.draft, self.head = submitted(self.campaign, [("Phạm Thị Vân", "LDTT")], state="draft")


def _ineligible(w: World, i: int) -> None:
    nominee = w.sent.nominees[i % len(w.sent.nominees)]
    if nominee.status == NomineeStatus.INELIGIBLE:
        ops.restore_nominee(w.office, nominee)
    else:
        ops.mark_ineligible(w.office, nominee, reason=f"Lý do {i}.")


def _send(w: World, i: int) -> None:
    try:
        with db.session.begin_nested():  # a refused send leaves nothing behind
            ops.send_to_council(
                w.office,
                w.campaign,
                letter_number=None,
                letter_date=None,
                from_register=bool(i % 2),
                confirm_missing=True,
            )
    except DomainError:
        pass


def _submit(w: World, i: int) -> None:
    if w.draft.state == DossierState.DRAFT:
        dossier_ops.submit(w.head, w.draft, version=w.draft.version)


def _extend(w: World, i: int) -> None:  # a unit's own later cut-off
    until = max(w.campaign.cutoff_at, now()) + timedelta(days=i + 1)
    grant_extension(w.office, w.campaign, unit=w.draft.unit, until=until, reason=f"Lý do {i}.")


def _rename(w: World, i: int) -> None:
    for d in (w.sent, w.draft):  # unit names are unique: the examples share one database
        d.unit.name = f"Phòng Kiểm tra số {d.unit.id}.{i}"


WRITES = [_ineligible, _send, _submit, _extend, _rename]


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(WRITES), st.integers(0, 5), st.booleans()),
        min_size=1,
        max_size=5,
    )
)
def test_the_list_shows_what_nothing_kept_shows_after_any_writes(app, as_user, steps):
    w = World()
    _commit()
    office = as_user(w.office)
    store = current_app.extensions["version_memo"]
    assert _page(office, w.campaign) == _with_nothing_kept(office, w.campaign)
    hits = store.hits
    assert _page(office, w.campaign) == _with_nothing_kept(office, w.campaign)
    assert store.hits > hits  # the second view was served from what was kept
    for write, i, committed in steps:
        write(w, i)
        if committed:
            _commit()
        assert _page(office, w.campaign) == _with_nothing_kept(office, w.campaign)
        assert _page(office, w.campaign) == _with_nothing_kept(office, w.campaign)
