"""Nobody votes on themselves or on their own unit's collective, by any route (issue 14)."""

from __future__ import annotations

import io
from datetime import date

import pdfplumber
import pytest
from sqlalchemy import select

from dossier.council import operations as ops
from dossier.council import recusals
from dossier.council.minutes import minutes_data
from dossier.council.minutes_pdf import render
from dossier.council.models import Recusal
from dossier.enums import NomineeKind, Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.intake import operations as intake_ops
from dossier.nominations.models import AchievementReport
from dossier.text import fold
from tests import builders as b
from tests import dossier_builders as db_
from tests.council_builders import council
from tests.intake_builders import submitted

BORN = date(1975, 4, 30)


def _typed_in(nominee, name: str, born: date | None = None) -> None:
    """What a unit head does by typing a name instead of choosing the staff record."""
    nominee.staff_id = None
    nominee.name, nominee.name_folded = name, fold(name)
    if born is not None:
        report = nominee.report or AchievementReport(nominee_id=nominee.id)
        report.birth_date = born
        db.session.add(report)


def _meeting_with(setup, *, member_absent: bool = False):
    """A campaign whose list `setup(campaign, unit_of_member, member_staff)` shaped, and an
    open meeting of a council with the member "Nguyễn Văn An" of the Phòng Quản lý Khoa học."""
    c = db_.campaign()
    home = b.unit(name="Phòng Quản lý Khoa học", code="QLKH")
    me = b.staff(home, "Nguyễn Văn An", position="Trưởng phòng")
    me.birth_date = BORN
    member = b.user(Role.COUNCIL, year=c.year, person=me, username="uyvien_an")
    setup(c, home, me)
    office = b.user(Role.OFFICE)
    intake_ops.send_to_council(
        office, c, letter_number="1/TTr-VP", letter_date=None, confirm_missing=True
    )
    chair, secretary, others = council(c.year, size=8)
    m = ops.create_meeting(office, c, held_on=date.today(), place="Phòng họp", guests=None)
    present = {a.member_id for a in m.attendance} - ({member.id} if member_absent else set())
    ops.set_attendance(office, m, version=m.version, present_ids=present)
    ops.open_vote(chair, m, version=m.version)
    db.session.commit()
    return m, member, chair, secretary, others


def _row(m, name_part: str):
    return next(r for r in ops.rows(m) if name_part in r.name)


def test_a_typed_in_nominee_with_the_members_name_in_his_unit_is_recused(app, as_user):
    """The issue's case: a unit head adds himself by typing his name (no staff link)."""

    def setup(c, home, me):
        d, head = submitted(c, [("Lê Thị Hoa", "LDTT"), ("Trần Văn Tạm", "LDTT")], unit=home)
        _typed_in(next(n for n in d.nominees if n.name == "Trần Văn Tạm"), "NGUYEN  van An")
        intake_ops_accept(d)

    m, member, chair, secretary, others = _meeting_with(setup)
    mine = _row(m, "NGUYEN")
    other = _row(m, "Hoa")
    assert ops.still_to_vote(m, member.id) == {other.nominee_id}
    with pytest.raises(DomainError, match="trùng họ tên và đơn vị"):
        ops.cast(member, m, votes={mine.nominee_id: True})
    db.session.rollback()
    html = as_user(member).get(f"/hoi-dong/{m.id}").get_data(as_text=True)
    assert 'data-testid="my-recusals"' in html and "trùng họ tên và đơn vị" in html
    assert f'name="vote_{mine.nominee_id}"' not in html  # not on his ballot at all
    # Nor through the Thư ký, as a written view (he is present: refused anyway; absent too).
    (rec,) = db.session.scalars(select(Recusal).where(Recusal.member_id == member.id)).all()
    assert rec.automatic and rec.nominee_id == mine.nominee_id
    assert not recusals.of_member(m, chair.id)  # nobody else is recused


def test_a_typed_in_nominee_with_the_members_name_and_birth_date_elsewhere(app):
    def setup(c, home, me):
        elsewhere = b.unit(name="Phòng Tổng hợp", code="TH")
        d, head = submitted(c, [("Đỗ Văn Khác", "LDTT")], unit=elsewhere)
        _typed_in(d.nominees[0], "Nguyễn Văn An", born=BORN)
        same_name = submitted(c, [("Lý Văn Tên", "LDTT")], unit=b.unit())[0]
        _typed_in(same_name.nominees[0], "Nguyễn Văn An")  # same name, no birth date: not him
        intake_ops_accept(d, same_name)

    m, member, chair, secretary, others = _meeting_with(setup)
    recused = recusals.of_member(m, member.id)
    assert len(recused) == 1
    (rec,) = recused.values()
    assert "ngày sinh" in rec.reason


def test_the_members_own_units_collective_is_a_recusal_he_sees(app, as_user):
    def setup(c, home, me):
        d, head = submitted(c, [("Lê Thị Hoa", "LDTT")], unit=home, collective="TTLDTT")
        intake_ops_accept(d)

    m, member, chair, secretary, others = _meeting_with(setup)
    collective = next(r for r in ops.rows(m) if r.kind == NomineeKind.COLLECTIVE)
    with pytest.raises(DomainError, match="Tập thể thuộc đơn vị của thành viên"):
        ops.cast(member, m, votes={collective.nominee_id: True})
    db.session.rollback()
    html = as_user(member).get(f"/hoi-dong/{m.id}").get_data(as_text=True)
    assert "Tập thể thuộc đơn vị của thành viên (Phòng Quản lý Khoa học)" in html
    assert "(hệ thống ghi nhận)" in html
    # He votes on the rest; everybody else votes on all; the minutes record the recusal.
    individual = _row(m, "Hoa")
    ops.cast(member, m, votes={individual.nominee_id: True})
    for u in [chair, secretary, *others]:
        ops.cast(u, m, votes={r.nominee_id: True for r in ops.rows(m)})
    db.session.commit()
    results = {r.nominee_id: r for r in ops.close_vote(chair, m, version=m.version)}
    db.session.commit()
    assert results[collective.nominee_id].issued == len(m.attendance) - 1  # not him
    assert results[individual.nominee_id].issued == len(m.attendance)
    data = minutes_data(m)
    (line,) = data.recusals
    assert line.member.startswith("Nguyễn Văn An") and line.nominee == collective.name
    with pdfplumber.open(io.BytesIO(render(data))) as pdf:
        flat = " ".join((p.extract_text() or "") for p in pdf.pages).replace("\n", " ")
    assert "Nguyễn Văn An – Trưởng phòng không biểu quyết đối với" in flat


def test_an_absent_member_cannot_vote_on_himself_in_writing(app):
    def setup(c, home, me):
        d, head = submitted(c, [("Lê Thị Hoa", "LDTT"), ("Trần Văn Tạm", "LDTT")], unit=home)
        _typed_in(next(n for n in d.nominees if n.name == "Trần Văn Tạm"), "Nguyễn Văn An")
        intake_ops_accept(d)

    m, member, chair, secretary, others = _meeting_with(setup, member_absent=True)
    mine = _row(m, "Nguyễn Văn An")
    other = _row(m, "Hoa")
    with pytest.raises(DomainError, match="trùng họ tên và đơn vị"):
        ops.record_written(secretary, m, member_id=member.id, votes={mine.nominee_id: True})
    db.session.rollback()
    ops.record_written(secretary, m, member_id=member.id, votes={other.nominee_id: True})


def intake_ops_accept(*dossiers) -> None:
    from tests import dossier_builders

    for d in dossiers:
        dossier_builders.set_state(d, "accepted")
    db.session.commit()
