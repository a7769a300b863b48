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
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from dossier import memo, versioning
from dossier.campaigns.operations import grant_extension
from dossier.enums import DocKind, NomineeStatus, Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.intake import findings, page_data
from dossier.intake import operations as ops
from dossier.nominations import operations as dossier_ops
from dossier.org.models import Unit
from dossier.register.operations import set_current
from dossier.states import DossierState
from dossier.timeutil import local_now, now
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
    """Two campaigns (a kept value must not be served for the other), each with an
    accepted dossier; the first also has a unit still drafting."""

    def __init__(self) -> None:
        self.campaign = db_.campaign()
        self.other = db_.campaign()
        self.office = b.user(Role.OFFICE)
        self.clerk = b.user(Role.CLERK)
        self.sent, _ = submitted(
            self.campaign, [("Lê Thị Thảo", "LDTT"), ("Lê Văn Cường", "LDTT")], state="accepted"
        )
        self.draft, self.head = submitted(self.campaign, [("Phạm Thị Vân", "LDTT")], state="draft")
        self.elsewhere, self.other_head = submitted(
            self.other, [("Đỗ Văn Hùng", "LDTT")], state="submitted"
        )

    @property
    def campaigns(self):
        return (self.campaign, self.other)


def _ineligible(w: World, i: int) -> None:
    nominee = (w.sent.nominees + w.elsewhere.nominees)[i % 3]
    if nominee.status == NomineeStatus.INELIGIBLE:
        ops.restore_nominee(w.office, nominee)
    else:
        ops.mark_ineligible(w.office, nominee, reason=f"Lý do {i}.")


def _send(w: World, i: int) -> None:
    try:
        with db.session.begin_nested():  # a refused send leaves nothing behind
            ops.send_to_council(
                w.office,
                w.campaigns[i % 2],
                letter_number=None,
                letter_date=None,
                from_register=bool(i % 3),
                confirm_missing=True,
            )
    except DomainError:
        pass


def _submit(w: World, i: int) -> None:
    if w.draft.state == DossierState.DRAFT:
        dossier_ops.submit(w.head, w.draft, version=w.draft.version)


def _withdraw(w: World, i: int) -> None:
    if w.elsewhere.state == DossierState.SUBMITTED:
        dossier_ops.withdraw(w.other_head, w.elsewhere, version=w.elsewhere.version, reason="Rút.")


def _extend(w: World, i: int) -> None:  # a unit's own later cut-off
    until = max(w.campaign.cutoff_at, now()) + timedelta(days=i + 1)
    grant_extension(w.office, w.campaign, unit=w.draft.unit, until=until, reason=f"Lý do {i}.")


def _cutoff(w: World, i: int) -> None:  # the campaign's own cut-off moves (ORM write)
    c = w.campaigns[i % 2]
    c.cutoff_at = c.cutoff_at + timedelta(days=i - 2)


def _rename(w: World, i: int) -> None:
    for d in (w.sent, w.draft):  # unit names are unique: the examples share one database
        d.unit.name = f"Phòng Kiểm tra số {d.unit.id}.{i}"


def _deactivate(w: World, i: int) -> None:  # Core UPDATE: a unit leaves the list
    unit_id = w.draft.unit_id
    db.session.execute(update(Unit).where(Unit.id == unit_id).values(active=bool(i % 2)))
    db.session.expire_all()


def _register(w: World, i: int) -> None:  # the Văn thư keeps the tờ trình register in step
    set_current(
        w.clerk,
        issuer=ops.office_code(),
        kind=DocKind.SUBMISSION,
        year=local_now().year,
        seen=None,
        value=10 + i,
    )


WRITES = [
    _ineligible,
    _send,
    _submit,
    _withdraw,
    _extend,
    _cutoff,
    _rename,
    _deactivate,
    _register,
]


@settings(
    max_examples=6,
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
    for c in w.campaigns:
        assert _page(office, c) == _with_nothing_kept(office, c)
    hits = store.hits
    for c in w.campaigns:
        assert _page(office, c) == _with_nothing_kept(office, c)
    assert store.hits > hits  # the second views were served from what was kept
    for write, i, committed in steps:
        write(w, i)
        if committed:
            _commit()
        for c in w.campaigns:
            assert _page(office, c) == _with_nothing_kept(office, c)
            assert _page(office, c) == _with_nothing_kept(office, c)


def test_a_campaign_loaded_before_another_server_s_write_is_not_kept_stale(app, as_user):
    """Request A loads the campaign; another server then moves its cut-off and commits, and
    a view keeps the findings under the new token; A reads that token and misses the
    intake page's data: what it keeps must be the campaign as the new token has it."""
    w = World()
    _commit()
    office = as_user(w.office)
    c = w.campaign
    old = c.cutoff_at
    c.cutoff_at = old + timedelta(days=7)  # "another server"
    _commit()
    _page(office, c)  # the findings (and the page's data) kept under the new token
    current_app.extensions["version_memo"].clear()  # A is the first to want the page's data
    with current_app.test_request_context():
        set_committed_value(c, "cutoff_at", old)  # A's object, loaded before the commit
        token = memo.usable_token()
        page_data.intake_base(c, findings.check(c), token)
    db.session.expire_all()
    assert _page(office, c) == _with_nothing_kept(office, c)
