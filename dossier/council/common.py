"""What the council's operations share: checks, the frozen list, the meeting's dossiers."""

from __future__ import annotations

from sqlalchemy import select

from ..access import Action, Verdict, require
from ..errors import ConflictError, DomainError
from ..extensions import db
from ..nominations.models import Dossier
from ..states import MEETING_VOTING
from ..workflow import sources
from .models import Meeting


def expect(meeting: Meeting, version) -> None:
    if str(meeting.version) != str(version):
        raise ConflictError("Phiên họp vừa được người khác cập nhật; hãy tải lại trang.")


def allowed(actor, action: Action, meeting: Meeting | None, words: str) -> Verdict:
    return require(actor, action, meeting, f"Anh/chị không có quyền {words}.")


def rows(meeting: Meeting):
    """The frozen list the council votes on (ListRow objects)."""
    return meeting.list_version.consolidated().rows


def locked_open(meeting: Meeting, *, ballots: bool = False) -> None:
    """Lock the meeting row so closing cannot interleave with a ballot: shared for a paper
    tally, exclusive for ballots (each rewrites the nominees' sealed ballots, see _reseal)."""
    lock = {"key_share": True} if ballots else {"read": True}
    state = db.session.execute(
        select(Meeting.state).where(Meeting.id == meeting.id).with_for_update(**lock)
    ).scalar_one()
    if state not in MEETING_VOTING:
        raise DomainError("Biểu quyết không mở (chưa mở hoặc đã đóng): phiếu không được ghi nhận.")


def dossiers(meeting: Meeting, trigger: str) -> list[Dossier]:
    """The meeting's dossiers from which `trigger` can fire (the dossier table says where)."""
    ids = {r.dossier_id for r in rows(meeting)}
    states = sources("dossier", trigger)
    return list(
        db.session.scalars(select(Dossier).where(Dossier.id.in_(ids), Dossier.state.in_(states)))
    )
