"""Warnings that prevent mistakes: sending the list while units have not submitted,
resubmitting a returned dossier unchanged, the cut-off, remaining time, and no stale
"list changed" once the council has voted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from dossier import audit, timeutil
from dossier.audit import AuditEvent
from dossier.enums import Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.intake import operations as intake_ops
from dossier.intake.models import ListVersion
from dossier.nominations import operations as ops
from dossier.timeutil import now, time_left
from tests import builders as b
from tests import dossier_builders as db_
from tests.dossier_builders import flashes
from tests.flow_builders import ready_dossier
from tests.intake_builders import submitted


def test_time_left_never_says_zero_minutes():
    base = now()
    timeutil.freeze(base)
    try:
        assert time_left(base + timedelta(seconds=30)) == "còn dưới 1 phút"
        assert time_left(base) == "đã quá hạn"
        assert time_left(base - timedelta(seconds=30)) == "đã quá hạn"
        assert time_left(base - timedelta(hours=3)) == "đã quá hạn 3 giờ 0 phút"
        assert time_left(base + timedelta(minutes=5, seconds=10)) == "còn 5 phút"
        assert time_left(base + timedelta(days=2, hours=1)) == "còn 2 ngày 1 giờ"
    finally:
        timeutil.freeze(None)


def _sendable():
    """A campaign with one accepted dossier and two units that have not submitted."""
    c = db_.campaign()
    d, _ = submitted(c, [("Nguyễn Văn Hải", "LDTT")], state="accepted")
    draft_unit = b.unit(name="Phòng Quản lý Công nghệ")
    db_.dossier(draft_unit, c)
    b.unit(name="Thanh tra Sở")
    db.session.commit()
    return c, d


def test_sending_while_units_have_not_submitted_names_them_and_asks(app, as_user):
    c, d = _sendable()
    office = b.user(Role.OFFICE)
    with pytest.raises(intake_ops.UnitsNotSent) as err:
        intake_ops.send_to_council(office, c, letter_number="1/TTr-VP", letter_date=None)
    assert {"Phòng Quản lý Công nghệ", "Thanh tra Sở"} <= set(err.value.units)
    db.session.rollback()
    client = as_user(office)
    page = client.get(f"/tiep-nhan/{c.id}/danh-sach").get_data(as_text=True)
    assert 'data-testid="send-warning"' in page and "Thanh tra Sở" in page
    url = f"/tiep-nhan/{c.id}/gui-hoi-dong"
    resp = client.post(url, {"letter_number": "45/TTr-VP", "note": "Gửi"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'data-testid="units-not-sent"' in html
    assert "Phòng Quản lý Công nghệ" in html and 'name="confirm_missing" value="1"' in html
    assert db.session.scalar(select(ListVersion).where(ListVersion.campaign_id == c.id)) is None
    assert db.session.get(type(d), d.id).state == "accepted"
    # Confirmed: sent, and the audit names the units that had not submitted.
    resp = client.post(url, {"letter_number": "45/TTr-VP", "confirm_missing": "1"})
    assert resp.status_code == 302
    version = db.session.scalar(select(ListVersion).where(ListVersion.campaign_id == c.id))
    assert version is not None and version.letter_number == "45/TTr-VP"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "list_sent_to_council")
    ).one()
    assert "Thanh tra Sở" in event.payload["units_not_sent"]


def test_no_question_when_every_unit_has_submitted(app):
    from dossier.org.models import Unit

    c = db_.campaign()
    d, _ = submitted(c, [("Nguyễn Văn Hải", "LDTT")], state="accepted")
    office = b.user(Role.OFFICE)
    for unit in db.session.scalars(select(Unit).where(Unit.id != d.unit_id)):
        unit.active = False  # only the unit that submitted is left
    db.session.commit()
    assert intake_ops.units_not_sent(c) == []
    version = intake_ops.send_to_council(office, c, letter_number="1/TTr-VP", letter_date=None)
    assert version.number == 1


def _returned():
    d, head = ready_dossier()
    office = b.user(Role.OFFICE)
    ops.submit(head, d, version=d.version)
    ops.return_for_revision(
        office,
        d,
        version=d.version,
        items=[{"nominee_id": None, "component": "minutes", "reason": "Thiếu chữ ký thư ký."}],
    )
    db.session.commit()
    return d, head


def test_resubmitting_unchanged_asks_what_was_fixed(app, as_user):
    d, head = _returned()
    with pytest.raises(DomainError, match="không thay đổi gì"):
        ops.submit(head, d, version=d.version)
    db.session.rollback()
    client = as_user(head)
    page = client.get(f"/ho-so/{d.id}").get_data(as_text=True)
    assert 'name="comment" placeholder="Đã sửa, bổ sung những gì' in page
    resp = client.post(
        f"/ho-so/{d.id}/thao-tac/submit", {"version": d.version}, page=f"/ho-so/{d.id}"
    )
    assert resp.status_code == 302 and db.session.get(type(d), d.id).state == "returned"
    assert any("không thay đổi gì" in m for _, m in flashes(client))
    resp = client.post(
        f"/ho-so/{d.id}/thao-tac/submit",
        {"version": d.version, "comment": "Đã bổ sung chữ ký thư ký vào bản scan."},
        page=f"/ho-so/{d.id}",
    )
    d = db.session.get(type(d), d.id)
    assert d.state == "submitted" and d.revision == 2
    last = audit.timeline("dossier", d.id)[-1]
    assert last.action == "submit" and last.comment == "Đã bổ sung chữ ký thư ký vào bản scan."


def test_a_changed_resubmission_needs_no_comment_and_a_draft_shows_no_field(app, as_user):
    d, head = _returned()
    ops.update_minutes(
        head,
        d,
        version=d.version,
        meeting_date=d.meeting_date,
        chair=d.meeting_chair,
        secretary="Phạm Thị Hiếu",
        present=d.meeting_present,
        total=d.meeting_total,
        votes={n.id: (n.votes_for, n.votes_against) for n in d.nominees},
    )
    ops.submit(head, d, version=d.version)
    assert d.state == "submitted"
    other = db_.dossier(d.unit, d.campaign, seq=2)
    page = as_user(head).get(f"/ho-so/{other.id}").get_data(as_text=True)
    assert 'data-testid="act-submit"' in page and "Đã sửa, bổ sung những gì" not in page  # a draft


def test_after_the_cutoff_no_submit_button_and_the_extension_path(app, as_user):
    d, head = ready_dossier(days_left=1)
    client = as_user(head)
    page = client.get(f"/ho-so/{d.id}").get_data(as_text=True)
    assert 'data-testid="act-submit"' in page and "có thể nộp" in page
    d.campaign.cutoff_at = now() - timedelta(hours=2)  # the cut-off passed two hours ago
    db.session.commit()
    page = client.get(f"/ho-so/{d.id}").get_data(as_text=True)
    assert 'data-testid="act-submit"' not in page and "có thể nộp" not in page
    assert 'data-testid="past-cutoff"' in page and "gia hạn" in page
    assert "còn 0 phút" not in page and "đã quá hạn" in page
    # The Văn phòng grants an extension (its form is on the campaign's page); the button
    # is back until the new cut-off.
    office = b.user(Role.OFFICE)
    campaign_page = as_user(office).get(f"/dot-thi-dua/{d.campaign_id}").get_data(as_text=True)
    assert 'id="gia-han"' in campaign_page
    from dossier.campaigns import operations as campaign_ops

    campaign_ops.grant_extension(
        office, d.campaign, unit=d.unit, until=now() + timedelta(days=3), reason="Ốm."
    )
    db.session.commit()
    page = client.get(f"/ho-so/{d.id}").get_data(as_text=True)
    assert 'data-testid="act-submit"' in page and 'data-testid="past-cutoff"' not in page


def test_no_stale_list_changed_after_the_council_voted(app, as_user):
    c = db_.campaign()
    d, _ = submitted(c, [("Nguyễn Văn Hải", "LDTT")], state="accepted")
    office = b.user(Role.OFFICE)
    intake_ops.send_to_council(
        office, c, letter_number="1/TTr-VP", letter_date=None, confirm_missing=True
    )
    db.session.commit()
    client = as_user(office)
    banner = "Danh sách đã thay đổi"
    urls = [f"/tiep-nhan/{c.id}", f"/tiep-nhan/{c.id}/danh-sach"]
    assert not any(banner in client.get(u).get_data(as_text=True) for u in urls)
    for state in ("decided", "issued"):  # the vote closed; the decision issued
        db_.set_state(d, state)
        db.session.commit()
        for u in urls:
            html = client.get(u).get_data(as_text=True)
            assert banner not in html, (state, u)
