"""The unit's dossier: building it, the checklist, the cut-off, returns, diffs, conflicts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from dossier import audit, timeutil
from dossier.enums import NomineeKind, Role
from dossier.errors import ConflictError, DomainError
from dossier.extensions import db
from dossier.nominations import operations as ops
from dossier.nominations.models import Dossier, Snapshot
from dossier.timeutil import VN_TZ, cutoff_before
from tests import builders as b
from tests import dossier_builders as db_
from tests.flow_builders import complete, forms, ready_dossier, unit_with_head


def test_cutoff_before_20_12_is_19_12_23_59_59_in_ho_chi_minh():
    from datetime import date

    cutoff = cutoff_before(date(2026, 12, 20))
    assert cutoff == datetime(2026, 12, 19, 16, 59, 59, tzinfo=UTC)
    assert cutoff.astimezone(VN_TZ).strftime("%d/%m %H:%M:%S") == "19/12 23:59:59"
    assert "trước ngày 20/12/2026" in timeutil.describe_cutoff(cutoff)
    assert "23:59:59 ngày 19 tháng 12 năm 2026" in timeutil.describe_cutoff(cutoff)


@pytest.mark.parametrize(
    "local,accepted",
    [
        (datetime(2026, 12, 19, 23, 59, 59, tzinfo=VN_TZ), True),
        (datetime(2026, 12, 20, 0, 0, 0, tzinfo=VN_TZ), False),
    ],
)
def test_submission_boundary(app, local, accepted):
    from datetime import date

    d, head = ready_dossier()
    d.campaign.cutoff_at = cutoff_before(date(2026, 12, 20))
    db.session.commit()
    timeutil.freeze(local)
    if accepted:
        ops.submit(head, d, version=d.version)
        assert d.state == "submitted"
    else:
        with pytest.raises(DomainError, match="23:59:59 ngày 19 tháng 12 năm 2026"):
            ops.submit(head, d, version=d.version)
        db.session.rollback()
        assert db.session.get(Dossier, d.id).state == "draft"


def test_extension_reopens_submission_for_one_unit_and_is_audited(app):
    from datetime import timedelta

    d, head = ready_dossier(days_left=1)
    timeutil.freeze(d.campaign.cutoff_at + timedelta(hours=2))
    with pytest.raises(DomainError):
        ops.submit(head, d, version=d.version)
    db.session.rollback()
    office = b.user(Role.OFFICE)
    from dossier.campaigns.operations import grant_extension

    grant_extension(
        office,
        d.campaign,
        unit=d.unit,
        until=d.campaign.cutoff_at + timedelta(days=2),
        reason="Đơn vị đi công tác.",
    )
    ops.submit(head, d, version=d.version)
    assert d.state == "submitted"
    events = audit.timeline("campaign", d.campaign_id)
    assert events[-1].action == "extension_granted" and events[-1].comment == "Đơn vị đi công tác."


def test_incomplete_dossier_is_refused_with_the_exact_list(app):
    unit, head = unit_with_head()
    d = db_.dossier(unit)
    ops.add_nominee(
        head,
        d,
        version=d.version,
        kind=NomineeKind.INDIVIDUAL,
        award_form_id=forms(d)["LDTT"].id,
        name="Phạm Văn Hưng",
    )
    db.session.commit()
    with pytest.raises(DomainError) as err:
        ops.submit(head, d, version=d.version)
    details = err.value.details
    assert "Tờ trình: thiếu số, ký hiệu" in details
    assert "Biên bản họp: thiếu ngày họp" in details
    assert "Phạm Văn Hưng: thiếu báo cáo thành tích (phần I và phần II)" in details
    assert "Phạm Văn Hưng: báo cáo thành tích chưa được thủ trưởng đơn vị xác nhận" in details
    assert "Phạm Văn Hưng: chưa ghi kết quả bỏ phiếu trong biên bản họp đơn vị" in details
    db.session.rollback()
    assert db.session.get(Dossier, d.id).state == "draft"


def test_higher_forms_require_more(app):
    d, head = ready_dossier()
    n = d.nominees[0]
    ops.update_nominee(
        head, n, version=d.version, award_form_id=forms(d)["CSTDCS"].id, position=None
    )
    db.session.commit()
    with pytest.raises(DomainError) as err:
        ops.submit(head, d, version=d.version)
    assert any("minh chứng sáng kiến" in m for m in err.value.details)


def test_person_on_hold_cannot_be_proposed_and_the_form_says_why(app, as_user):
    unit, head = unit_with_head()
    held = b.staff(unit, "Võ Minh Hiếu", hold="đang bị thanh tra về công vụ")
    d = db_.dossier(unit)
    client = as_user(head)
    page = client.get(f"/ho-so/{d.id}").get_data(as_text=True)
    assert "Võ Minh Hiếu – Chuyên viên (đang bị xem xét)" in page
    resp = client.post(
        f"/ho-so/{d.id}/nguoi",
        {
            "version": d.version,
            "kind": "individual",
            "staff_id": held.id,
            "award_form_id": forms(d)["LDTT"].id,
        },
        page=f"/ho-so/{d.id}",
        follow_redirects=True,
    )
    html = resp.get_data(as_text=True)
    assert "đang bị thanh tra về công vụ" in html and "152/2025/NĐ-CP" in html
    db.session.refresh(d)
    assert d.nominees == []


def test_nominee_from_another_unit_is_refused(app):
    unit, head = unit_with_head()
    other = b.unit()
    stranger = b.staff(other, "Đặng Văn Thắng")
    d = db_.dossier(unit)
    with pytest.raises(DomainError, match="không thuộc"):
        ops.add_nominee(
            head,
            d,
            version=d.version,
            kind=NomineeKind.INDIVIDUAL,
            award_form_id=forms(d)["LDTT"].id,
            staff_id=stranger.id,
        )


def test_duplicate_nominee_is_refused_accent_insensitively(app):
    unit, head = unit_with_head()
    d = db_.dossier(unit)
    ops.add_nominee(
        head,
        d,
        version=d.version,
        kind=NomineeKind.INDIVIDUAL,
        award_form_id=forms(d)["LDTT"].id,
        name="Huỳnh Ngọc Phượng",
    )
    db.session.flush()
    # Another form for the same person is lawful (a Giấy khen beside a title).
    ops.add_nominee(
        head,
        d,
        version=d.version,
        kind=NomineeKind.INDIVIDUAL,
        award_form_id=forms(d)["GK_CN"].id,
        name="Huỳnh Ngọc Phượng",
    )
    db.session.flush()
    with pytest.raises(DomainError, match="đã được đề nghị «Lao động tiên tiến»"):
        ops.add_nominee(
            head,
            d,
            version=d.version,
            kind=NomineeKind.INDIVIDUAL,
            award_form_id=forms(d)["LDTT"].id,
            name="HUYNH NGOC PHUONG",
        )


def test_form_for_the_wrong_subject_is_refused(app):
    unit, head = unit_with_head()
    d = db_.dossier(unit)
    with pytest.raises(DomainError, match="chỉ dành cho tập thể"):
        ops.add_nominee(
            head,
            d,
            version=d.version,
            kind=NomineeKind.INDIVIDUAL,
            award_form_id=forms(d)["TTLDTT"].id,
            name="Ngô Văn Long",
        )


def test_editing_a_confirmed_report_drops_the_confirmation(app):
    d, head = ready_dossier()
    n = d.nominees[0]
    assert n.report.confirmed_at is not None
    ops.save_report(head, n, version=d.version, duties="Khác trước.", achievements="Mới.")
    assert n.report.confirmed_at is None


def test_only_the_unit_head_confirms(app):
    unit, head = unit_with_head()
    clerk = b.user(Role.UNIT_CLERK, unit_obj=unit)
    d = db_.dossier(unit)
    n = ops.add_nominee(
        clerk,
        d,
        version=d.version,
        kind=NomineeKind.INDIVIDUAL,
        award_form_id=forms(d)["LDTT"].id,
        name="Bùi Thị Nguyệt",
    )
    ops.save_report(clerk, n, version=d.version, duties="x", achievements="y")
    with pytest.raises(DomainError, match="Chỉ thủ trưởng"):
        ops.confirm_report(clerk, n, version=d.version)


def test_stale_version_gives_a_conflict_and_changes_nothing(app):
    d, head = ready_dossier()
    old = d.version
    ops.update_letter(
        head, d, version=old, number="16/TTr-QLKH", letter_date=None, signer="A", text=None
    )
    db.session.commit()
    with pytest.raises(ConflictError):
        ops.update_letter(
            head, d, version=old, number="99/TTr-QLKH", letter_date=None, signer="B", text=None
        )
    db.session.rollback()
    assert db.session.get(Dossier, d.id).letter_number == "16/TTr-QLKH"


def test_return_resubmit_and_diff(app):
    d, head = ready_dossier()
    office = b.user(Role.OFFICE)
    ops.submit(head, d, version=d.version)
    db.session.commit()
    n = d.nominees[0]
    with pytest.raises(DomainError, match="ít nhất một nội dung"):
        ops.return_for_revision(office, d, version=d.version, items=[])
    db.session.rollback()
    with pytest.raises(DomainError, match="phải có lý do"):
        ops.return_for_revision(
            office,
            d,
            version=d.version,
            items=[{"nominee_id": n.id, "component": "report", "reason": " "}],
        )
    db.session.rollback()
    ops.return_for_revision(
        office,
        d,
        version=d.version,
        items=[{"nominee_id": n.id, "component": "report", "reason": "Thiếu số liệu."}],
    )
    db.session.commit()
    assert d.state == "returned" and [f.reason for f in d.open_fix_items] == ["Thiếu số liệu."]
    ops.save_report(
        head,
        n,
        version=d.version,
        duties="Tham mưu.",
        achievements="Hoàn thành xuất sắc; 12 đề tài được nghiệm thu.",
    )
    ops.confirm_report(head, n, version=d.version)
    ops.submit(head, d, version=d.version)
    db.session.commit()
    assert d.revision == 2 and d.open_fix_items == []
    snaps = db.session.scalars(select(Snapshot).where(Snapshot.dossier_id == d.id)).all()
    assert sorted(s.revision for s in snaps) == [1, 2]
    from dossier.nominations.snapshot import diff

    changes = diff(*[s.content for s in sorted(snaps, key=lambda s: s.revision)])
    changed = [c for c in changes if c.key.endswith("Báo cáo › Thành tích")]
    assert len(changed) == 1 and "12 đề tài" in changed[0].new
    assert "<ins>" in changed[0].inline


def test_office_cannot_accept_a_returned_dossier(app):
    d, head = ready_dossier()
    office = b.user(Role.OFFICE)
    ops.submit(head, d, version=d.version)
    ops.return_for_revision(
        office,
        d,
        version=d.version,
        items=[{"nominee_id": None, "component": "minutes", "reason": "Thiếu chữ ký."}],
    )
    db.session.commit()
    with pytest.raises(DomainError, match="Trả lại để bổ sung"):
        ops.accept(office, d, version=d.version)


def test_unit_clerk_cannot_submit(app):
    unit, head = unit_with_head()
    clerk = b.user(Role.UNIT_CLERK, unit_obj=unit)
    d = db_.dossier(unit)
    complete(d, head)
    with pytest.raises(DomainError, match="không có quyền «Nộp hồ sơ»"):
        ops.submit(clerk, d, version=d.version)


def test_every_act_is_on_the_timeline_with_who_and_states(app):
    d, head = ready_dossier()
    ops.submit(head, d, version=d.version)
    db.session.commit()
    events = audit.timeline("dossier", d.id)
    actions = [e.action for e in events]
    assert actions[0] == "letter_updated" and actions[-1] == "submit"
    assert events[-1].from_state == "draft" and events[-1].to_state == "submitted"
    assert events[-1].actor_name == head.display_name
    assert audit.verify()[1] is None


def test_letter_pdf_lists_every_nominee_exactly(app, as_user):
    import shutil
    import subprocess
    import unicodedata

    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: run scripts/system-deps.sh")
    d, head = ready_dossier()
    resp = as_user(head).get(f"/ho-so/{d.id}/to-trinh.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=resp.data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    text = unicodedata.normalize("NFC", text)
    assert "TỜ TRÌNH" in text and "Số: 15/TTr-QLKH" in text
    assert "Kính gửi: Hội đồng Thi đua - Khen thưởng Sở Khoa học và Công nghệ" in text
    for n in d.nominees:
        assert n.name in text, n.name
    assert "Lao động tiên tiến" in text and "Tập thể lao động tiên tiến" in text


def test_letter_pdf_of_another_unit_is_refused(app, as_user):
    d, _ = ready_dossier()
    stranger = b.user(Role.UNIT_HEAD, unit_obj=b.unit())
    assert as_user(stranger).get(f"/ho-so/{d.id}/to-trinh.pdf").status_code == 403
