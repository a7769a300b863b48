"""The council's count (issue 14): base and numerator count the same people, no share above
100%, the integer boundary of each threshold, and refusals of impossible input.

Property-based (Hypothesis): the pure count (dossier/council/count.py) over random councils,
attendance, written views, recusals, paper tallies and thresholds; then whole meetings on
the database with random attendance, written views, recusals and paper tallies.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.council import count
from dossier.council import operations as ops
from dossier.council.models import CouncilSetting
from dossier.council.thresholds import passes, percent
from dossier.enums import ThresholdBase
from dossier.errors import DomainError
from dossier.extensions import db
from tests.council_builders import meeting

BASES = [b.value for b in ThresholdBase]
# The pure count (no database, no app): one backend is enough.
PURE = pytest.mark.one_backend("neutral")


def _percent_value(text: str) -> float:
    return float(text.rstrip("%").replace(",", "."))


def _check(t: count.Tally, *, members: int, voters: int, kind: str, pct, strict, least) -> None:
    """The invariants every published (or withheld) count keeps."""
    assert 0 <= t.agree <= t.valid <= t.returned <= t.issued <= voters <= members
    assert 0 <= t.agree <= t.base <= members
    if kind != ThresholdBase.VALID:
        assert t.issued <= t.base  # the base holds everyone given a ballot
    if t.base:
        assert _percent_value(percent(t.agree, t.base)) <= 100.0
    assert t.withheld == (t.valid < least) or (t.withheld and t.valid == 0)
    if t.withheld:
        assert (t.agree, t.valid, t.passed) == (0, 0, False)
    else:
        assert t.passed == passes(t.agree, t.base, pct, strict)


@st.composite
def councils(draw):
    """A council, who is present, written views, recusals and one nominee's count."""
    members = draw(st.integers(1, 40))
    present = draw(st.integers(0, members))
    count_written = draw(st.booleans())
    written = draw(st.integers(0, members - present)) if count_written else 0
    recused = draw(st.integers(0, present))
    voters = present - recused + written
    paper = draw(st.booleans())
    if paper:  # the Thư ký's tally: ballots for those present and not recused
        voters = present - recused
        written = 0
        issued = draw(st.integers(0, voters))
        returned = draw(st.integers(0, issued))
        valid = draw(st.integers(0, returned))
    else:  # electronic: every voter is given a ballot, every ballot is valid
        issued = voters
        returned = valid = draw(st.integers(0, voters))
    agree = draw(st.integers(0, valid))
    return dict(
        members=members,
        present=present,
        recused=recused,
        written=written,
        count_written=count_written,
        numbers=dict(issued=issued, returned=returned, valid=valid, agree=agree),
    )


@PURE
@settings(max_examples=400, deadline=None)
@given(
    c=councils(),
    kind=st.sampled_from(BASES),
    pct=st.integers(0, 100),
    strict=st.booleans(),
    least=st.integers(2, 6),
)
def test_any_possible_count_keeps_the_invariants(c, kind, pct, strict, least):
    voters = count.electorate(
        present=c["present"],
        recused_present=c["recused"],
        written=c["written"],
        count_written=c["count_written"],
    )
    t = count.tally(
        members=c["members"],
        electorate=voters,
        **c["numbers"],
        base_kind=kind,
        pct=pct,
        strict=strict,
        min_ballots=least,
    )
    _check(t, members=c["members"], voters=voters, kind=kind, pct=pct, strict=strict, least=least)
    if kind == ThresholdBase.PRESENT:  # written views are in the base exactly when counted
        assert t.base == c["present"] - c["recused"] + c["written"]


@PURE
@settings(max_examples=400, deadline=None)
@given(
    members=st.integers(0, 30),
    voters=st.integers(-2, 35),
    numbers=st.fixed_dictionaries(
        {k: st.integers(-2, 35) for k in ("issued", "returned", "valid", "agree")}
    ),
    kind=st.sampled_from(BASES),
    pct=st.integers(-5, 105),
)
def test_impossible_input_is_refused_never_counted(members, voters, numbers, kind, pct):
    """Whatever comes in, either a Vietnamese refusal or a count within the invariants."""
    try:
        t = count.tally(
            members=members,
            electorate=voters,
            **numbers,
            base_kind=kind,
            pct=pct,
            strict=False,
            min_ballots=3,
        )
    except DomainError as err:
        assert err.message and err.message[0].isupper()
        return
    _check(t, members=members, voters=voters, kind=kind, pct=pct, strict=False, least=3)


@PURE
@settings(max_examples=300, deadline=None)
@given(base=st.integers(1, 500), pct=st.integers(0, 100), strict=st.booleans())
def test_the_integer_boundary(base, pct, strict):
    """The least passing count is exact: "trên p%" needs agree·100 > p·base, "từ p% trở lên"
    agree·100 ≥ p·base; one vote fewer fails. No float anywhere."""
    least = pct * base // 100 + 1 if strict else -(-pct * base // 100)
    if least <= base:
        assert passes(least, base, pct, strict)
    if least >= 1:
        assert not passes(least - 1, base, pct, strict)


def test_boundaries_of_the_issue():
    assert not passes(6, 12, 50, strict=True)  # "trên 50%": 6 of 12 is not above half
    assert passes(7, 12, 50, strict=True)
    assert passes(6, 12, 50, strict=False)  # "từ 50% trở lên"
    assert passes(27, 30, 90, strict=False) and not passes(26, 30, 90, strict=False)


def test_a_share_above_100_percent_is_refused():
    with pytest.raises(DomainError, match="Tỷ lệ không hợp lý"):
        percent(12, 11)
    with pytest.raises(DomainError, match="không hợp lý"):
        count.tally(
            members=12,
            electorate=11,
            issued=12,
            returned=12,
            valid=12,
            agree=12,
            base_kind="present",
            pct=50,
            strict=True,
            min_ballots=3,
        )
    with pytest.raises(DomainError, match="ý kiến bằng văn bản không được tính"):
        count.electorate(present=5, recused_present=0, written=1, count_written=False)


# --- whole meetings on the database ----------------------------------------------------------


@st.composite
def meetings(draw):
    size = draw(st.integers(3, 7))
    present = draw(st.integers(-(-2 * size // 3), size))  # the quorum is met
    written = draw(st.integers(0, size - present))
    recused = draw(st.integers(0, min(2, present)))
    voting = draw(st.integers(0, present - recused))
    agree = draw(st.integers(0, voting + written))
    paper = draw(st.booleans())
    kind = draw(st.sampled_from(BASES))
    pct = draw(st.sampled_from([50, 70, 80, 90]))
    return dict(
        size=size,
        present=present,
        written=written,
        recused=recused,
        voting=voting,
        agree=agree,
        paper=paper,
        kind=kind,
        pct=pct,
        strict=draw(st.booleans()),
    )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=meetings())
def test_random_meetings_count_the_same_people(app, case):
    conn = db.session.get_bind()
    example = conn.begin_nested()  # each example rolls back to here: a fresh council
    try:
        _one_meeting(case)
    finally:
        db.session.remove()
        example.rollback()


def _one_meeting(case) -> None:
    m, d, chair, secretary, members = meeting(
        present=case["present"], size=case["size"], people=[("Lê Thị Hoa", "LDTT")]
    )
    everyone = [chair, secretary, *members]
    here, away = everyone[: case["present"]], everyone[case["present"] :]
    (row,) = ops.rows(m)
    nid = row.nominee_id
    form = next(f for f in m.campaign.award_forms if f.code == row.form_code)
    form.threshold_base, form.threshold_pct = case["kind"], case["pct"]
    form.threshold_strict = case["strict"]
    recusing, rest = here[: case["recused"]], here[case["recused"] :]
    for u in recusing:
        ops.cast(u, m, votes={}, recusals={nid: "Cùng đơn vị"})
    voters = len(rest)
    if case["paper"]:
        valid = case["voting"]
        ops.enter_paper_tally(
            secretary,
            m,
            nominee_id=nid,
            issued=voters,
            returned=valid,
            valid=valid,
            agree=min(case["agree"], valid),
        )
        with pytest.raises(DomainError, match="không hợp lý"):  # one more than may vote
            ops.enter_paper_tally(
                secretary, m, nominee_id=nid, issued=voters + 1, returned=0, valid=0, agree=0
            )
    else:
        for u in away[: case["written"]]:
            ops.record_written(secretary, m, member_id=u.id, votes={nid: True})
        agree_left = max(case["agree"] - case["written"], 0)
        for i, u in enumerate(rest[: case["voting"]]):
            ops.cast(u, m, votes={nid: i < agree_left})
        voters += case["written"]
    db.session.commit()
    (r,) = ops.close_vote(chair, m, version=m.version)
    t = count.Tally(r.issued, r.returned, r.valid, r.agree, r.base, r.passed, r.withheld)
    _check(
        t,
        members=case["size"],
        voters=voters,
        kind=case["kind"],
        pct=case["pct"],
        strict=case["strict"],
        least=m.min_ballots,
    )
    assert r.issued == voters
    if case["kind"] == ThresholdBase.PRESENT:
        assert r.base == voters  # present, not recused, plus written views


def test_written_views_not_counted_by_setting(app):
    setting = CouncilSetting.get()
    assert (setting.written_views_count, setting.min_ballots, setting.confirmed) == (
        True,
        3,
        False,
    )
    setting.written_views_count = False
    db.session.commit()
    m, d, chair, secretary, members = meeting(present=10, size=12)
    assert not m.written_views_count
    with pytest.raises(DomainError, match="không được tính"):
        ops.record_written(
            secretary, m, member_id=members[-1].id, votes={ops.rows(m)[0].nominee_id: True}
        )


def test_the_office_edits_the_settings_page_new_meetings_follow(app, as_user):
    from dossier.enums import Role
    from tests import builders as b

    office = b.user(Role.OFFICE)
    client = as_user(office)
    page = client.get("/hoi-dong/cai-dat").get_data(as_text=True)
    assert 'data-testid="unconfirmed"' in page and "cần kiểm tra" in page
    good = {
        "written_views_source": "Quy chế làm việc của Hội đồng",
        "min_ballots_source": "Quy chế làm việc của Hội đồng",
    }
    resp = client.post("/hoi-dong/cai-dat", {**good, "min_ballots": "1"}, page="/hoi-dong/cai-dat")
    assert resp.status_code == 422
    assert "Số phiếu tối thiểu phải từ 2 đến 50" in resp.get_data(as_text=True)
    assert CouncilSetting.get().min_ballots == 3
    resp = client.post(
        "/hoi-dong/cai-dat", {**good, "min_ballots": "5"}, page="/hoi-dong/cai-dat"
    )  # the written-views box unticked: written views do not count
    assert resp.status_code == 302
    setting = CouncilSetting.get()
    assert (setting.min_ballots, setting.written_views_count) == (5, False)
    m, *_ = meeting(present=10, size=12)
    assert (m.min_ballots, m.written_views_count) == (5, False)
    member = b.user(Role.COUNCIL, year=m.year)
    assert as_user(member).get("/hoi-dong/cai-dat").status_code == 403


def test_a_count_stored_before_the_fix_is_shown_invalid_not_above_100():
    from dossier.council.thresholds import shown

    assert shown(12, 11) == "không hợp lệ" and shown(6, 12) == "50,0%"
