"""The award rules' parameters as the Văn phòng edits them, and where the findings show:
the unit before submitting, the decision, the order of names (split from
test_award_rules.py)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from dossier.campaigns import operations as campaign_ops
from dossier.campaigns.award_rules import AwardRule
from dossier.campaigns.models import AwardForm
from dossier.enums import NomineeKind, Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.intake import rules
from dossier.org.models import Staff
from tests import builders as b
from tests import dossier_builders as db_
from tests.award_rule_builders import _found, _history, _rating, _staff
from tests.intake_builders import submitted

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
