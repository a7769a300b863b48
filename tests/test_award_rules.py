"""One test per award rule (a passing and a failing case, the source shown), the rule
parameters the Văn phòng edits (nonsense refused), and the rules reaching the pages."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from dossier.campaigns import operations as campaign_ops
from dossier.campaigns.award_rules import AwardRule
from dossier.campaigns.models import AwardForm
from dossier.enums import NomineeKind, Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.history.facts import Discipline, Initiative, StaffRating
from dossier.history.models import AwardRecord
from dossier.intake import rules
from dossier.org.models import Staff
from dossier.text import fold
from tests import builders as b
from tests import dossier_builders as db_
from tests.intake_builders import submitted


def _found(c, kind):
    return [f for f in rules.build(c).all_findings if f.rule == kind]


def _staff(d, name):
    return db.session.scalar(
        select(Staff).where(Staff.unit_id == d.unit_id, Staff.full_name == name)
    )


def _history(name, year, code, staff=None, **kw):
    db.session.add(
        AwardRecord(
            year=year,
            kind="individual",
            name=name,
            name_folded=fold(name),
            staff_id=staff.id if staff else None,
            unit_id=staff.unit_id if staff else None,
            award_code=code,
            award_name=code,
            source="import",
            **kw,
        )
    )
    db.session.commit()


def _rating(staff, year, rating):
    row = db.session.scalar(
        select(StaffRating).where(StaffRating.staff_id == staff.id, StaffRating.year == year)
    )
    if row is None:
        db.session.add(StaffRating(staff_id=staff.id, year=year, rating=rating))
    else:
        row.rating = rating
    db.session.commit()


def _initiative(staff, year, scope="agency", n=1):
    db.session.add(
        Initiative(
            staff_id=staff.id,
            title=f"Sáng kiến {n}",
            title_folded=f"sang kien {n} {year}",
            decision_number=f"{n}/{year}",
            decision_date=date(year, 5, 1),
            scope=scope,
        )
    )
    db.session.commit()


def test_min_rating(app):
    """LĐTT: at least «hoàn thành tốt nhiệm vụ»; not entered yet is a warning."""
    c = db_.campaign()
    d, _ = submitted(c, [("Nguyễn Thị Ánh", "LDTT")], rating=None)
    (f,) = _found(c, "min_rating")
    assert f.level == "warning" and "Chưa có xếp loại" in f.message
    anh = _staff(d, "Nguyễn Thị Ánh")
    _rating(anh, c.year, "done")
    (f,) = _found(c, "min_rating")
    assert f.level == "error" and "Hoàn thành nhiệm vụ" in f.message
    assert f.source == "Luật Thi đua, khen thưởng 2022; Nghị định 152/2025/NĐ-CP"
    _rating(anh, c.year, "excellent")
    assert _found(c, "min_rating") == []


def test_same_year_title(app):
    """CSTĐCS needs LĐTT that year: in the history, or proposed in the same campaign."""
    c = db_.campaign()
    d, _ = submitted(c, [("Trần Văn Đức", "CSTDCS")])
    (f,) = _found(c, "same_year_title")
    assert f.level == "error" and "Lao động tiên tiến" in f.message
    assert "Luật Thi đua, khen thưởng 2022" in f.source
    submitted(c, [("Lê Văn Hùng", "CSTDCS"), ("Lê Văn Hùng", "LDTT")])  # the lawful pair
    assert [x.nominee_id for x in _found(c, "same_year_title")] == [f.nominee_id]
    _history("Trần Văn Đức", c.year, "LDTT", _staff(d, "Trần Văn Đức"))
    assert _found(c, "same_year_title") == []


def test_initiative(app):
    """CSTĐCS: a recognised initiative that year; CSTĐ tỉnh: of provincial reach."""
    c = db_.campaign()
    d, _ = submitted(c, [("Phạm Thị Hoa", "CSTDCS"), ("Phạm Thị Hoa", "LDTT")])
    assert _found(c, "initiative") == []  # the builder recorded one that year
    db.session.query(Initiative).delete()
    db.session.commit()
    (f,) = _found(c, "initiative")
    assert (
        f.level == "error"
        and f"năm {c.year}" in f.message
        and "Luật Thi đua, khen thưởng 2022" in f.source
    )
    _initiative(_staff(d, "Phạm Thị Hoa"), c.year - 1)  # last year's does not count
    assert len(_found(c, "initiative")) == 1


def test_consecutive_titles_and_thematic_awards_are_no_basis(app):
    c = db_.campaign()
    d, _ = submitted(c, [("Vũ Thị Ánh", "CSTD_TINH")])
    anh = _staff(d, "Vũ Thị Ánh")
    _initiative(anh, c.year, "province")
    for k in (1, 2):
        _history("Vũ Thị Ánh", c.year - k, "CSTDCS", anh)
    _history("Vũ Thị Ánh", c.year - 3, "CSTDCS", anh, counts_as_basis=False)
    (f,) = _found(c, "consecutive_titles")
    assert f.level == "error" and f"thiếu năm {c.year - 3}" in f.message
    assert "đột xuất, chuyên đề" in f.message and "152/2025" in f.source
    _history("Vũ Thị Ánh", c.year - 3, "CSTDCS", anh, decision_number="x")
    assert _found(c, "consecutive_titles") == []


def test_revoked_awards_are_no_basis(app):
    c = db_.campaign()
    d, _ = submitted(c, [("Đỗ Văn Thắng", "CSTD_TINH")])
    s = _staff(d, "Đỗ Văn Thắng")
    for k in (1, 2, 3):
        _history("Đỗ Văn Thắng", c.year - k, "CSTDCS", s)
    db.session.execute(
        AwardRecord.__table__.update()
        .where(AwardRecord.year == c.year - 2)
        .values(revoked_at=datetime.now(UTC), revoked_reason="Khai man")
    )
    db.session.commit()
    (f,) = _found(c, "consecutive_titles")
    assert f"thiếu năm {c.year - 2}" in f.message


def test_consecutive_ratings_as_an_alternative_route(app):
    """BK: CSTĐCS two years running, OR two years «xuất sắc» with two initiatives."""
    c = db_.campaign()
    d, _ = submitted(c, [("Hồ Văn Dũng", "BK_CN")])
    (f,) = _found(c, "consecutive_titles")
    assert f.level == "warning" and "(1)" in f.message and "(2)" in f.message
    dung = _staff(d, "Hồ Văn Dũng")
    for k in (1, 2):
        _rating(dung, c.year - k, "excellent")
    _initiative(dung, c.year - 1, n=1)
    assert len(_found(c, "consecutive_titles")) == 1  # one initiative of two
    _initiative(dung, c.year - 2, n=2)
    assert _found(c, "consecutive_titles") == []


def _collective(c, people, *, code="TTLDTT"):
    d, head = submitted(c, people, collective=code)
    return d


def test_members_title_share(app):
    """TTLĐTT: more than 50% of members LĐTT (strictly above)."""
    c = db_.campaign()
    d = _collective(c, [("Ngô Văn A", "LDTT"), ("Ngô Văn B", "GK_CN")])
    members = db.session.scalars(select(Staff).where(Staff.unit_id == d.unit_id)).all()
    (f,) = _found(c, "members_title_share")
    assert f.level == "warning" and f"1/{len(members)}" in f.message and "trên 50%" in f.message
    assert "[mặc định, cần kiểm tra]" in f.source
    for m in members:
        if m.full_name != "Ngô Văn A":
            _history(m.full_name, c.year, "LDTT", m)
    assert _found(c, "members_title_share") == []


def test_collective_of_distinction(app):
    """Tập thể LĐXS: 100% complete, ≥ 70% LĐTT, ≥ 1 CSTĐCS, nobody disciplined ≥ cảnh cáo."""
    c = db_.campaign()
    d = _collective(
        c, [("Bùi Thị X", "LDTT"), ("Bùi Thị X", "CSTDCS"), ("Bùi Văn Y", "LDTT")], code="TTLDXS"
    )
    members = db.session.scalars(select(Staff).where(Staff.unit_id == d.unit_id)).all()
    for m in members:
        _rating(m, c.year, "good")
        if m.full_name not in ("Bùi Thị X", "Bùi Văn Y"):
            _history(m.full_name, c.year, "LDTT", m)
    for kind in ("members_rating_share", "members_title_share", "members_title_count"):
        assert _found(c, kind) == [], kind
    assert _found(c, "members_no_discipline") == []
    y = next(m for m in members if m.full_name == "Bùi Văn Y")
    _rating(y, c.year, "failed")
    db.session.add(Discipline(staff_id=y.id, year=c.year, level="reprimand"))
    db.session.commit()
    (f,) = _found(c, "members_rating_share")
    assert f.level == "error" and "chưa đạt 100%" in f.message
    assert _found(c, "members_no_discipline") == []  # khiển trách is below cảnh cáo
    db.session.add(Discipline(staff_id=y.id, year=c.year, level="warning"))
    db.session.commit()
    (f,) = _found(c, "members_no_discipline")
    assert "Bùi Văn Y (cảnh cáo)" in f.message
    db.session.query(Initiative).delete()
    db.session.execute(AwardRecord.__table__.delete().where(AwardRecord.award_code == "CSTDCS"))
    db.session.commit()
    x = next(n for n in d.nominees if n.award_form.code == "CSTDCS")
    x.status = "ineligible"
    db.session.commit()
    (f,) = _found(c, "members_title_count")
    assert "cần ít nhất 1" in f.message


def test_once_a_year(app):
    """The same yearly title twice in a year: the archive and a new proposal."""
    c = db_.campaign()
    d, _ = submitted(c, [("Lý Thị Nguyệt", "LDTT")])
    assert _found(c, "once_a_year") == []
    _history("Lý Thị Nguyệt", c.year, "LDTT", _staff(d, "Lý Thị Nguyệt"))
    (f,) = _found(c, "once_a_year")
    assert f.level == "error" and f.message.startswith("Đã có «Lao động tiên tiến»")
    assert f"năm {c.year}" in f.message and f.source == "Luật Thi đua, khen thưởng 2022"


# --- the parameters, edited by the Văn phòng ---------------------------------------


def _rule(code, kind):
    return db.session.scalar(
        select(AwardRule)
        .join(AwardForm, AwardForm.id == AwardRule.award_form_id)
        .where(AwardForm.code == code, AwardRule.kind == kind)
    )


def _save(actor, code, kind, raw, **kw):
    rule = _rule(code, kind)
    form = db.session.get(AwardForm, rule.award_form_id)
    return campaign_ops.save_rule(
        actor,
        form,
        rule,
        kind=kind,
        raw_params=raw,
        blocking=kw.get("blocking", True),
        legal_source=kw.get("source", "Nghị định 152/2025/NĐ-CP"),
        route=kw.get("route"),
        confirmed=True,
    )


@pytest.mark.parametrize(
    "code,kind,raw,message",
    [
        ("TTLDTT", "members_title_share", {"code": "LDTT", "pct": "150"}, "từ 1% đến 100%"),
        ("TTLDTT", "members_title_share", {"code": "LDTT", "pct": "0"}, "từ 1% đến 100%"),
        ("CSTD_TINH", "consecutive_titles", {"code": "CSTDCS", "years": "0"}, "ít nhất 1"),
        ("CSTD_TINH", "consecutive_titles", {"code": "CSTDCS", "years": "ba"}, "số nguyên"),
        ("CSTD_TINH", "consecutive_titles", {"code": "XYZ", "years": "3"}, "không có hình thức"),
        ("LDTT", "min_rating", {"rating": "tuyệt vời"}, "không hợp lệ"),
    ],
)
def test_nonsense_parameters_are_refused_in_vietnamese(app, code, kind, raw, message):
    db_.campaign()
    office = b.user(Role.OFFICE)
    before = _rule(code, kind).params_json
    with pytest.raises(DomainError) as info:
        _save(office, code, kind, raw)
    assert any(message in d for d in info.value.details), info.value.details
    db.session.rollback()
    assert _rule(code, kind).params_json == before


def test_edited_parameters_change_the_findings(app):
    c = db_.campaign()
    office = b.user(Role.OFFICE)
    submitted(c, [("Vũ Văn Nam", "CSTD_TINH")])
    for k in (1, 2):
        _history("Vũ Văn Nam", c.year - k, "CSTDCS")
    assert len(_found(c, "consecutive_titles")) == 1
    _save(office, "CSTD_TINH", "consecutive_titles", {"code": "CSTDCS", "years": "2"})
    db.session.commit()
    assert _found(c, "consecutive_titles") == []
    assert json.loads(_rule("CSTD_TINH", "consecutive_titles").params_json)["years"] == 2
    _save(office, "CSTD_TINH", "initiative", {"years": "3", "scope": "province"}, blocking=False)
    db.session.commit()
    assert {f.level for f in _found(c, "initiative")} == {"warning"}


def test_the_award_form_page_edits_rules(app, as_user):
    db_.campaign()
    office = as_user(b.user(Role.OFFICE))
    form = db.session.scalar(select(AwardForm).where(AwardForm.code == "TTLDTT"))
    page = f"/dot-thi-dua/hinh-thuc/{form.id}"
    html = office.get(page).get_data(as_text=True)
    assert 'data-kind="members_title_share"' in html and "Chưa kiểm chứng" in html
    rule = _rule("TTLDTT", "members_title_share")
    data = {
        "p_code": "LDTT",
        "p_pct": "101",
        "legal_source": "x",
        "blocking": "1",
        "confirmed": "0",
        "active": "1",
    }
    resp = office.post(f"/dot-thi-dua/quy-tac/{rule.id}", data, page=page)
    assert resp.status_code == 302
    html = office.get(page).get_data(as_text=True)
    assert "từ 1% đến 100% (101%)" in html
    db.session.refresh(rule)
    assert rule.params["pct"] == 50
    office.post(f"/dot-thi-dua/quy-tac/{rule.id}", {**data, "p_pct": "60"}, page=page)
    db.session.refresh(rule)
    assert rule.params == {"code": "LDTT", "pct": 60, "strict": False} and rule.blocking
    resp = office.post(
        f"/dot-thi-dua/hinh-thuc/{form.id}/quy-tac",
        {**data, "kind": "members_title_count", "p_code": "CSTDCS", "p_count": "1"},
        page=page,
    )
    assert _rule("TTLDTT", "members_title_count").params == {"code": "CSTDCS", "count": 1}
    head = as_user(b.user(Role.UNIT_HEAD, unit_obj=b.unit(name="Phòng A", code="PA")))
    assert head.post(f"/dot-thi-dua/quy-tac/{rule.id}", data).status_code == 403


# --- where the findings appear -------------------------------------------------------


def test_the_unit_sees_rule_findings_before_submitting(app, as_user):
    c = db_.campaign()
    d, head = submitted(c, [("Đặng Văn Hải", "CSTDCS")], state="draft", rating="done")
    html = as_user(head).get(f"/ho-so/{d.id}").get_data(as_text=True)
    checklist = html[html.index('data-testid="checklist"') :]
    assert 'data-testid="rule-findings"' in checklist
    assert 'data-rule="same_year_title"' in checklist  # CSTĐCS without LĐTT
    assert "Luật Thi đua, khen thưởng 2022; Nghị định 152/2025/NĐ-CP" in checklist


def test_a_decision_refuses_a_nominee_breaking_a_blocking_rule(app):
    from dossier.decisions import operations as decision_ops
    from tests.decision_builders import approved, people

    c, d, _ = approved(2, codes=("LDTT",))
    office, _, _ = people()
    anh = d.nominees[0]
    _rating(anh.staff, c.year, "failed")
    with pytest.raises(DomainError) as info:
        decision_ops.draft(office, c)
    assert any(anh.name in x and "Không hoàn thành nhiệm vụ" in x for x in info.value.details)
    db.session.rollback()
    _rating(anh.staff, c.year, "good")
    assert len(decision_ops.draft(office, c).awards) == 2


def test_thematic_decisions_are_recorded_as_no_basis(app):
    from dossier.decisions.operations import BASIS_KINDS
    from dossier.enums import CampaignKind

    assert CampaignKind.THEMATIC not in BASIS_KINDS and CampaignKind.ONE_OFF not in BASIS_KINDS


def test_women_come_first_on_equal_merit(app):
    """NĐ 152/2025, Điều 4: within a form and unit, women (and collectives with ≥ 70%
    women) before the others; Vietnamese name order after that."""
    from dossier.enums import Gender

    c = db_.campaign()
    d, _ = submitted(c, [("Đào Văn An", "LDTT"), ("Vũ Thị Yến", "LDTT"), ("Bạch Văn Bảo", "LDTT")])
    yen = _staff(d, "Vũ Thị Yến")
    yen.gender = Gender.FEMALE
    for n in d.nominees:
        if n.staff_id == yen.id:
            n.gender = Gender.FEMALE
    db.session.commit()
    cons = rules.build(c)
    names = [r.name for r in cons.rows if r.form_code == "LDTT"]
    assert names[0] == "Vũ Thị Yến" and len(names) == 3
    assert cons.rows[0].women_first
    copy = type(cons).from_json(cons.to_json())
    copy.rows.reverse()
    copy.sort()
    assert [r.name for r in copy.rows] == [r.name for r in cons.rows]
    # A collective with 70% women: first among the unit's collectives.
    d2, _ = submitted(c, [(f"Lê Thị Hoa{i}", "GK_CN") for i in range(7)], collective="TTLDTT")
    for s in db.session.scalars(select(Staff).where(Staff.unit_id == d2.unit_id)):
        s.gender = Gender.FEMALE if s.full_name.startswith("Lê Thị") else Gender.MALE
    db.session.commit()
    row = next(r for r in rules.build(c).rows if r.kind == NomineeKind.COLLECTIVE)
    members = db.session.scalars(select(Staff).where(Staff.unit_id == d2.unit_id)).all()
    women = sum(1 for m in members if m.gender == Gender.FEMALE)
    assert row.women_first == (women * 100 >= 70 * len(members))
