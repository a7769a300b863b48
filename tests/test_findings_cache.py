"""The intake checks' findings kept between requests (intake/findings.py, issue 17): the
cached answer is exactly rules.check's, on the demo, on a generated province, and after
any sequence of writes (Hypothesis); on two app servers sharing one database too.

The harness never commits (each test's transaction is rolled back): `_commit()` does what a
commit does to the content version (versioning.committed) without ending the transaction.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text, update

from dossier import create_app, versioning
from dossier.campaigns.award_rules import AwardRule
from dossier.campaigns.models import AwardForm, Campaign
from dossier.enums import CampaignKind, NomineeKind
from dossier.extensions import db
from dossier.history.facts import StaffRating
from dossier.history.models import AwardRecord
from dossier.intake import findings, rules
from dossier.nominations.models import Attachment, Dossier, Nominee
from dossier.org.models import Staff
from dossier.states import DossierState
from dossier.text import fold
from tests import dossier_builders as db_
from tests.conftest import _app_config
from tests.intake_builders import submitted


def _commit() -> None:
    db.session.flush()
    versioning.committed(db.session.connection())


def same(a: rules.Checked, b: rules.Checked) -> bool:
    return (
        (a.campaign_id, a.campaign_name, a.year) == (b.campaign_id, b.campaign_name, b.year)
        and a.facts == b.facts
        and a.found == b.found
        and a.list_findings == b.list_findings
        and a.women == b.women
        and (a.error_count, a.warning_count) == (b.error_count, b.warning_count)
        and a.tally() == b.tally()
        and a.consolidated() == b.consolidated()
    )


def _cache():
    from flask import current_app

    return current_app.extensions["findings_cache"]


def _served_and_fresh(campaign: Campaign) -> None:
    """findings.check twice (the second from the cache) and rules.check: all the same."""
    first = findings.check(campaign)
    hits = _cache().hits
    second = findings.check(campaign)
    assert second is first and _cache().hits == hits + 1  # served, not recomputed
    assert same(second, rules.check(campaign))


def test_cached_is_fresh_on_the_demo(demo_loaded):
    _commit()  # the copy's commit released a savepoint: this is what a real commit adds
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.id)).all()
    assert campaigns
    for c in campaigns:
        _served_and_fresh(c)
    assert any(findings.check(c).found for c in campaigns)  # the demo has findings to keep


def test_cached_is_fresh_on_a_generated_province(app):
    """Many units, people of the same name across them, the award history."""
    from dossier.demo import load_demo
    from dossier.history.demo import bulk_history

    load_demo(units=12, nominees_per_unit=12)
    bulk_history(2_000)
    c = db.session.scalars(
        select(Campaign).where(Campaign.kind == CampaignKind.YEARLY).order_by(Campaign.id)
    ).first()
    # The same names again in other units: duplicate groups across the province.
    people = db.session.execute(
        select(Nominee.name, Nominee.award_form_id)
        .join(Dossier)
        .where(Dossier.campaign_id == c.id, Nominee.kind == NomineeKind.INDIVIDUAL)
        .limit(6)
    ).all()
    forms = {f.id: f.code for f in c.award_forms}
    submitted(c, [(name, forms[form_id]) for name, form_id in people[:3]])
    submitted(c, [(name, forms[form_id]) for name, form_id in people[:6]])
    _commit()
    checked = findings.check(c)
    assert checked.row_count > 100
    assert {t[1] for t in checked.found} >= {"duplicate"}
    _served_and_fresh(c)


def test_own_writes_not_committed_are_seen_and_not_kept(app):
    c = db_.campaign()
    d, _ = submitted(c, [("Nguyễn Văn Bình", "LDTT"), ("Trần Thị Cúc", "LDTT")])
    _commit()
    before = findings.check(c)
    d.nominees[0].votes_for = 1  # not flushed: the cache must not hide it
    now_checked = findings.check(c)
    assert now_checked is not before and same(now_checked, rules.check(c))
    assert any(t[1] == "unit_vote" for t in now_checked.found)
    assert findings.check(c) is not now_checked  # a transaction with writes keeps nothing
    _commit()
    _served_and_fresh(c)


def test_writes_to_bookkeeping_tables_keep_the_entry(app):
    c = db_.campaign()
    submitted(c, [("Nguyễn Văn Bình", "LDTT")])
    _commit()
    kept = findings.check(c)
    db.session.execute(text("UPDATE audit_head SET seq = seq WHERE id = 1"))
    _commit()
    assert findings.check(c) is kept
    assert versioning.writes("UPDATE nominee SET name = 'x'")
    assert versioning.writes("WITH x AS (SELECT 1) DELETE FROM staff")
    assert not versioning.writes('INSERT INTO "user_session" (id) VALUES (1)')
    assert not versioning.writes("SELECT * FROM nominee FOR UPDATE")
    # A read through a common table expression is a read (the history's years and forms):
    # it once marked the transaction, so nothing read after it in the request was kept.
    assert not versioning.writes("WITH RECURSIVE y(year) AS (SELECT 1) SELECT year FROM y")
    assert not versioning.writes("WITH c AS (SELECT 'DELETE' AS w) SELECT w FROM c")
    assert versioning.writes("WITH c AS (SELECT 1) INSERT INTO staff (id) SELECT 1 FROM c")
    assert versioning.writes("WITH c AS (UPDATE staff SET id = id RETURNING id) SELECT 1")


# --- any sequence of writes -----------------------------------------------------------


def _rename(c, i):
    rows = _nominees(c)
    n, other = rows[i % len(rows)], rows[(i + 1) % len(rows)]
    n.name, n.name_folded = other.name, other.name_folded  # now a duplicate, maybe


def _votes(c, i):
    n = _nominees(c)[i % len(_nominees(c))]
    n.votes_for = ((n.votes_for or 0) + 3) % 9


def _state(c, i):
    dossiers = db.session.scalars(
        select(Dossier).where(Dossier.campaign_id == c.id).order_by(Dossier.id)
    ).all()
    states = [DossierState.SUBMITTED, DossierState.ACCEPTED, DossierState.RETURNED]
    d = dossiers[i % len(dossiers)]
    d.state = states[(states.index(d.state) + 1) % 3 if d.state in states else 0]


def _history(c, i):
    n = _nominees(c)[i % len(_nominees(c))]
    for year in (c.year, c.year - 1, c.year - 2):
        db.session.add(
            AwardRecord(
                year=year,
                kind=n.kind,
                staff_id=n.staff_id,
                unit_id=None,
                name=n.name,
                name_folded=fold(n.name),
                award_code=("LDTT", "CSTDCS", "GK_CN")[i % 3],
                award_name="Khen thưởng",
                source="import",
            )
        )


def _rule(c, i):
    rules_ = db.session.scalars(select(AwardRule).order_by(AwardRule.id)).all()
    rule = rules_[i % len(rules_)]
    rule.active = not rule.active


def _form(c, i):  # Core UPDATE, no ORM object in sight
    code = ("LDTT", "CSTDCS", "GK_CN")[i % 3]
    db.session.execute(
        update(AwardForm)
        .where(AwardForm.code == code)
        .values(unit_vote_pct=50 + (AwardForm.unit_vote_pct + 37) % 50)
    )


def _hold(c, i):
    staff = db.session.scalars(select(Staff).order_by(Staff.id)).all()
    person = staff[i % len(staff)]
    person.hold_reason = None if person.hold_reason else "đang bị xem xét kỷ luật"


def _rating(c, i):  # raw SQL; each write moves one person's rating to the next one
    rating_id = _first(StaffRating) + i % 4
    now_ = db.session.scalar(
        text("SELECT rating FROM staff_rating WHERE id = :id"), {"id": rating_id}
    )
    cycle = ["done", "good", "excellent"]
    after = cycle[(cycle.index(now_) + 1) % 3] if now_ in cycle else "done"
    db.session.execute(
        text("UPDATE staff_rating SET rating = :r WHERE id = :id"), {"r": after, "id": rating_id}
    )


def _upload(c, i):
    rows = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    if rows:
        db.session.delete(rows[i % len(rows)])


def _first(model) -> int:
    return db.session.scalar(select(model.id).order_by(model.id))


def _nominees(c):
    return db.session.scalars(
        select(Nominee).join(Dossier).where(Dossier.campaign_id == c.id).order_by(Nominee.id)
    ).all()


WRITES = [_rename, _votes, _state, _history, _rule, _form, _hold, _rating, _upload]


def test_the_cache_never_serves_a_stale_result(app):
    c = db_.campaign()
    submitted(c, [("Nguyễn Văn Bình", "LDTT"), ("Trần Thị Cúc", "CSTDCS")], collective="TTLDTT")
    submitted(c, [("Nguyễn Văn Bình", "LDTT"), ("Lê Văn Dũng", "GK_CN")])
    submitted(c, [("Phạm Thị Em", "LDTT")], state="accepted")
    _commit()

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        st.lists(
            st.tuples(st.sampled_from(WRITES), st.integers(0, 50), st.booleans()),
            min_size=1,
            max_size=5,
        )
    )
    def run(writes):
        # Each example from the same start: its writes are rolled back to a savepoint,
        # and with them the versions they made (never seen again: random tokens).
        example = db.session.begin_nested()
        try:
            findings.check(c)  # an entry under the current version
            for write, i, commit_now in writes:
                write(c, i)
                assert same(findings.check(c), rules.check(c))  # uncommitted: not cached
                if commit_now:
                    _commit()
                    assert same(findings.check(c), rules.check(c))
            _commit()
            _served_and_fresh(c)
        finally:
            example.rollback()
        _served_and_fresh(c)  # back at the start: its entry serves again, rightly

    run()


# --- two app servers, one database ------------------------------------------------------


@pytest.mark.real_db
def test_a_write_on_one_server_is_seen_by_the_others_cache(app, tmp_path):
    c = db_.campaign()
    d, _ = submitted(c, [("Nguyễn Văn Bình", "LDTT"), ("Trần Thị Cúc", "LDTT")])
    campaign_id, nominee_id = c.id, d.nominees[0].id
    db.session.commit()
    kept = findings.check(c)
    assert findings.check(c) is kept and not any(t[1] == "unit_vote" for t in kept.found)
    db.session.commit()

    other = create_app(_app_config(tmp_path / "b", app.config["SQLALCHEMY_DATABASE_URI"]))
    ctx = other.app_context()
    ctx.push()
    try:
        db.session.execute(update(Nominee).where(Nominee.id == nominee_id).values(votes_for=1))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    finally:
        ctx.pop()

    db.session.remove()
    c = db.session.get(Campaign, campaign_id)
    served = findings.check(c)
    assert served is not kept and same(served, rules.check(c))
    assert any(t[1] == "unit_vote" for t in served.found)
    db.session.commit()
    assert findings.check(c) is served  # kept again under the new version
