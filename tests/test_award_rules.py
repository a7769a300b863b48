"""One test per award rule (a passing and a failing case, the source shown), the rule
parameters the Văn phòng edits (nonsense refused), and the rules reaching the pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from dossier.extensions import db
from dossier.history.facts import Discipline, Initiative
from dossier.history.models import AwardRecord
from dossier.org.models import Staff
from tests import dossier_builders as db_
from tests.award_rule_builders import _found, _history, _rating, _staff
from tests.intake_builders import submitted


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
