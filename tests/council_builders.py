"""A campaign whose list was sent to the council, and a council of the campaign's year."""

from __future__ import annotations

from datetime import date

from dossier.enums import CouncilPosition, Role
from dossier.extensions import db
from dossier.intake import operations as intake_ops
from tests import builders as b
from tests import dossier_builders as db_
from tests.intake_builders import submitted


def council(year: int, size: int = 12):
    """Chair, secretary, and members: size accounts in all."""
    chair = b.user(Role.COUNCIL, position=CouncilPosition.CHAIR, year=year, username="chutich")
    secretary = b.user(
        Role.COUNCIL, position=CouncilPosition.SECRETARY, year=year, username="thuky"
    )
    members = [b.user(Role.COUNCIL, year=year, username=f"uyvien{i}") for i in range(size - 2)]
    return chair, secretary, members


def sent_list(people=None, forms=("LDTT",)):
    c = db_.campaign()
    people = people or [(f"Nguyễn Văn Người{i}", forms[i % len(forms)]) for i in range(3)]
    d, head = submitted(c, people, state="accepted")
    intake_ops.send_to_council(
        b.user(Role.OFFICE),
        c,
        letter_number=None,
        letter_date=None,
        from_register=True,
        confirm_missing=True,
    )
    db.session.commit()
    return c, d


def meeting(present: int = 12, size: int = 12, people=None, forms=("LDTT",), open_=True):
    from dossier.council import operations as ops

    c, d = sent_list(people, forms)
    chair, secretary, members = council(c.year, size)
    office = b.user(Role.OFFICE)
    m = ops.create_meeting(office, c, held_on=date.today(), place="Phòng họp tầng 2", guests=None)
    everyone = [chair, secretary, *members]
    ops.set_attendance(office, m, version=m.version, present_ids={u.id for u in everyone[:present]})
    if open_:
        ops.open_vote(chair, m, version=m.version)
    db.session.commit()
    return m, d, chair, secretary, members
