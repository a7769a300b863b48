"""Every check on the consolidated list, each with a case that passes and one that fails."""

from __future__ import annotations

from dossier.enums import NomineeKind
from dossier.extensions import db
from dossier.history.models import AwardRecord
from dossier.intake import rules
from dossier.text import fold
from tests import dossier_builders as db_
from tests.intake_builders import submitted


def _findings(cons, rule):
    return [f for f in cons.all_findings if f.rule == rule]


def test_clean_list_has_no_findings(app):
    """One person for two forms (LĐTT and a Giấy khen) is lawful: no finding."""
    c = db_.campaign()
    d, _ = submitted(
        c,
        [
            ("Nguyễn Thị Ánh", "LDTT"),
            ("Trần Văn Đức", "LDTT"),
            ("Trần Văn Đức", "GK_CN"),
            ("Lê Thị Hoa", "LDTT"),
        ],
        collective="TTLDTT",
    )
    cons = rules.build(c)
    assert len(cons.rows) == 5 and cons.all_findings == []


def test_duplicate_across_units_accent_and_case_insensitive(app):
    c = db_.campaign()
    submitted(c, [("Huỳnh Ngọc Phượng", "GK_CN")])
    submitted(c, [("HUYNH NGOC PHUONG", "GK_CN")])
    found = _findings(rules.build(c), "duplicate")
    assert len(found) == 2 and all(f.level == "warning" for f in found)
    assert "trùng họ tên" in found[0].message


def test_the_same_person_for_two_forms_is_no_duplicate(app):
    c = db_.campaign()
    submitted(c, [("Huỳnh Ngọc Phượng", "LDTT")])
    submitted(c, [("HUYNH NGOC PHUONG", "GK_CN")])
    assert _findings(rules.build(c), "duplicate") == []


def test_same_staff_record_twice_is_an_error(app):
    from dossier.nominations import operations as ops

    c = db_.campaign()
    d1, head = submitted(c, [("Võ Minh Hiếu", "LDTT")], state="draft")
    person = d1.nominees[0].staff
    # A supplementary dossier of the same unit proposes the same person again.
    d2 = db_.dossier(d1.unit, c, seq=2)
    ops.add_nominee(
        head,
        d2,
        version=d2.version,
        kind=NomineeKind.INDIVIDUAL,
        award_form_id=d1.nominees[0].award_form_id,
        staff_id=person.id,
    )
    db_.set_state(d1, "submitted")
    db_.set_state(d2, "submitted")
    db.session.commit()
    found = _findings(rules.build(c), "duplicate")
    assert found and all(f.level == "error" for f in found)


def test_different_people_are_not_duplicates(app):
    c = db_.campaign()
    submitted(c, [("Nguyễn Văn An", "LDTT")])
    submitted(c, [("Nguyễn Văn Ân", "LDTT")])
    # "An" and "Ân" fold to the same letters: the rule flags it as a possible duplicate
    # (warning), never as certain.
    assert all(f.level == "warning" for f in _findings(rules.build(c), "duplicate"))
    c2 = db_.campaign()
    submitted(c2, [("Lê Văn Bình", "LDTT")])
    submitted(c2, [("Lê Văn Minh", "LDTT")])
    assert _findings(rules.build(c2), "duplicate") == []


def test_quota_within_and_beyond_15_percent(app):
    c = db_.campaign()
    ldtt = [(f"Phạm Văn Người{i}", "LDTT") for i in range(6)]
    submitted(c, ldtt + [("Đỗ Thị Quỳnh", "CSTDCS")])  # 1 of 7: 100 <= 105
    assert _findings(rules.build(c), "quota") == []
    submitted(c, [("Bùi Văn Thắng", "CSTDCS")])  # 2 of 8: 200 > 120
    found = _findings(rules.build(c), "quota")
    assert len(found) == 1 and found[0].level == "error"
    assert "vượt tỷ lệ 15%" in found[0].message and "tối đa 1" in found[0].message


def test_quota_boundary_is_exact_integer(app):
    """20 people of whom 3 CSTĐCS: 300 <= 15 * 20 = 300 passes; floats would wobble."""
    c = db_.campaign()
    submitted(
        c,
        [(f"Ngô Văn A{i}", "LDTT") for i in range(17)]
        + [(f"Ngô Thị B{i}", "CSTDCS") for i in range(3)],
    )
    assert _findings(rules.build(c), "quota") == []


def test_quota_can_be_switched_off(app):
    c = db_.campaign()
    submitted(c, [("Lý Văn Hưng", "LDTT"), ("Lý Thị Nguyệt", "CSTDCS")])
    assert _findings(rules.build(c), "quota")
    next(f for f in c.award_forms if f.code == "CSTDCS").quota_pct = None
    db.session.commit()
    assert _findings(rules.build(c), "quota") == []


def _history(name, year, code="CSTDCS", **kw):
    db.session.add(
        AwardRecord(
            year=year,
            kind="individual",
            name=name,
            name_folded=fold(name),
            award_code=code,
            award_name=code,
            source="import",
            **kw,
        )
    )


def test_prerequisite_from_history(app):
    c = db_.campaign()
    d, _ = submitted(c, [("Dương Thị Thủy", "BK_CN"), ("Hồ Văn Dũng", "BK_CN")])
    thuy = d.nominees[0] if d.nominees[0].name == "Dương Thị Thủy" else d.nominees[1]
    _history("Dương Thị Thủy", c.year - 1, staff_id=thuy.staff_id)
    _history("Dương Thị Thủy", c.year - 2, staff_id=thuy.staff_id)
    _history("Hồ Văn Dũng", c.year - 1)
    db.session.commit()
    found = {f.nominee_id: f for f in _findings(rules.build(c), "consecutive_titles")}
    assert len(found) == 1
    (finding,) = found.values()
    assert finding.nominee_id != thuy.id and str(c.year - 2) in finding.message
    assert finding.level == "warning" and "Nghị định 152/2025/NĐ-CP" in finding.source


def test_revoked_and_one_off_awards_do_not_count(app):
    from datetime import UTC, datetime

    c = db_.campaign()
    submitted(c, [("Phan Văn Khoa", "BK_CN")])
    _history("Phan Văn Khoa", c.year - 1, counts_as_basis=False)
    _history(
        "Phan Văn Khoa", c.year - 2, revoked_at=datetime.now(UTC), revoked_reason="Khai man hồ sơ"
    )
    db.session.commit()
    (f,) = _findings(rules.build(c), "consecutive_titles")
    assert "đột xuất, chuyên đề hoặc đã thu hồi" in f.message


def test_provincial_title_needs_three_years_and_is_an_error(app):
    c = db_.campaign()
    submitted(c, [("Vũ Thị Ánh", "CSTD_TINH")])
    for k in (1, 2):
        _history("Vũ Thị Ánh", c.year - k)
    db.session.commit()
    (f,) = _findings(rules.build(c), "consecutive_titles")
    assert f.level == "error" and f.message.endswith(f"thiếu năm {c.year - 3}.")
    _history("Vũ Thị Ánh", c.year - 3)
    db.session.commit()
    assert _findings(rules.build(c), "consecutive_titles") == []


def test_registration_exceeded(app):
    from dossier.campaigns.models import Registration

    c = db_.campaign()
    bk = next(f for f in c.award_forms if f.code == "BK_TT")
    c.registrations.append(Registration(award_form_id=bk.id, count=1))
    submitted(c, [], collective="BK_TT")
    assert _findings(rules.build(c), "registration") == []
    submitted(c, [], collective="BK_TT")
    (f,) = _findings(rules.build(c), "registration")
    assert "chỉ đăng ký 1" in f.message and f.level == "warning"


def test_unit_vote_must_exceed_half_of_those_present(app):
    c = db_.campaign()
    submitted(c, [("Đặng Văn Long", "LDTT")], votes=(5, 3), present=8)
    assert _findings(rules.build(c), "unit_vote") == []
    submitted(c, [("Đặng Thị Hằng", "LDTT")], votes=(4, 4), present=8)  # exactly 50%: not >
    (f,) = _findings(rules.build(c), "unit_vote")
    assert f.level == "error" and "4/8" in f.message


def test_person_put_on_hold_after_submission(app):
    c = db_.campaign()
    submitted(c, [("Trần Thị Nga", "LDTT")])
    assert _findings(rules.build(c), "on_hold") == []
    submitted(c, [("Trần Văn Sơn", "LDTT")], hold={"Trần Văn Sơn": "đang bị khiếu nại"})
    (f,) = _findings(rules.build(c), "on_hold")
    assert f.level == "error" and "đang bị khiếu nại" in f.message and "152/2025" in f.source


def test_list_is_grouped_by_form_then_unit_in_vietnamese_order(app):
    c = db_.campaign()
    submitted(c, [("Trần Văn Đức", "LDTT"), ("Nguyễn Thị Ánh", "LDTT"), ("Lê Văn Dũng", "GK_CN")])
    cons = rules.build(c)
    assert [r.name for r in cons.rows] == ["Nguyễn Thị Ánh", "Trần Văn Đức", "Lê Văn Dũng"]
    assert [g for g, _ in cons.groups()] == [
        "Lao động tiên tiến",
        "Giấy khen của Giám đốc Sở (cá nhân)",
    ]


def test_ineligible_and_drafts_are_left_out(app):
    c = db_.campaign()
    submitted(c, [("Hoàng Văn Phúc", "LDTT")], state="draft")
    assert rules.build(c).rows == []


def _every_kind_of_finding():
    """A campaign whose list has each finding: on hold, the same staff record twice (a
    supplementary dossier), namesakes across units, a failed unit vote, a prerequisite, the
    quota and a registration exceeded; plus a draft and an ineligible nominee left out."""
    from dossier.campaigns.models import Registration
    from dossier.nominations import operations as ops

    c = db_.campaign()
    gk = next(f for f in c.award_forms if f.code == "GK_CN")
    c.registrations.append(Registration(award_form_id=gk.id, count=1))
    d1, head = submitted(
        c,
        [("Võ Minh Hiếu", "LDTT"), ("Trần Văn Sơn", "CSTDCS"), ("Lý Thị Nguyệt", "GK_CN")],
        hold={"Trần Văn Sơn": "khiếu nại"},
    )
    d2, _ = submitted(
        c,
        [("VO MINH HIEU", "LDTT"), ("Đặng Thị Hằng", "GK_CN"), ("Dương Thị Thủy", "BK_CN")],
        votes=(4, 4),
        present=8,
        collective="TTLDTT",
    )
    d3 = db_.dossier(d1.unit, c, seq=2)
    ops.add_nominee(
        head,
        d3,
        version=d3.version,
        kind=NomineeKind.INDIVIDUAL,
        award_form_id=next(f for f in c.award_forms if f.code == "LDTT").id,
        staff_id=next(n.staff_id for n in d1.nominees if n.name == "Võ Minh Hiếu"),
    )
    db_.set_state(d3, "submitted")
    submitted(c, [("Lê Văn Bình", "LDTT")], state="draft")
    d4, _ = submitted(c, [("Hồ Văn Dũng", "LDTT"), ("Phan Văn Khoa", "LDTT")], rating="done")
    d4.nominees[0].status = "ineligible"
    db.session.commit()
    return c, [d1, d2, d3, d4]


def test_the_pages_views_of_the_checks_agree_with_the_built_list(app):
    """The intake page (counts per dossier), the list page (one page of rows) and the
    office's dossier page (findings_for) read the same checks as build()."""
    from dossier.intake import operations as ops

    c, dossiers = _every_kind_of_finding()
    cons, checked = rules.build(c), rules.check(c)
    assert {f.rule for f in cons.all_findings} >= {
        "on_hold",
        "duplicate",
        "unit_vote",
        "consecutive_titles",
        "same_year_title",
        "min_rating",
        "quota",
        "registration",
        "components",  # d3, a supplementary dossier set to "submitted" without its scans
    }
    assert {f.level for f in _findings(cons, "duplicate")} == {"error", "warning"}
    assert len(cons.rows) == checked.row_count == 9
    assert (checked.error_count, checked.warning_count) == (cons.error_count, cons.warning_count)
    assert checked.list_findings == cons.list_findings
    assert checked.signature() == ops._signature(cons)
    for start in range(0, 10, 4):
        assert checked.page(start, start + 4) == cons.rows[start : start + 4]
    tally = {}
    for r in cons.rows:
        t = tally.setdefault(r.dossier_id, [0, 0])
        t[0], t[1] = t[0] + len(r.errors), t[1] + len(r.warnings)
    assert checked.tally() == {k: v for k, v in tally.items() if v != [0, 0]}
    for d in dossiers:
        expected = {r.nominee_id: r.findings for r in cons.rows if r.dossier_id == d.id}
        assert rules.findings_for(c, d.id) == expected
    assert rules.findings_for(c, -1) == {}


def test_duplicate_findings_list_the_others_in_dossier_order(app):
    """The rows are read in dossier order on every backend, so a row's duplicate finding
    names the others in one order (SQLite and PostgreSQL return unordered joins
    differently). One finding per row and group, not one per pair (issue 17)."""
    c = db_.campaign()
    units = [submitted(c, [("Mai Thị Lan", "LDTT")])[0] for _ in range(3)]
    first = next(r for r in rules.build(c).rows if r.dossier_id == units[0].id)
    [finding] = first.findings
    named = finding.message.split("cũng được ")[1].split(" (trùng")[0].split(", ")
    assert [x.split(" đề nghị")[0] for x in named] == [d.unit.name for d in units[1:]]


def test_a_big_group_of_duplicates_makes_one_finding_per_row(app):
    c = db_.campaign()
    for _ in range(8):
        submitted(c, [("Mai Thị Lan", "LDTT")])
    found = _findings(rules.build(c), "duplicate")
    assert len(found) == 8  # not 8 × 7
    assert all(
        f.message.endswith("và 2 đề nghị khác (trùng họ tên: kiểm tra có phải một người).")
        for f in found
    )
