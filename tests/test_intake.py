"""The Văn phòng's intake: bulk acceptance, ineligibility, versions sent to the council."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from dossier import timeutil
from dossier.enums import NomineeStatus, Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.intake import operations as ops
from dossier.intake import rules
from dossier.nominations import operations as dossier_ops
from dossier.nominations.models import Dossier
from tests import builders as b
from tests import dossier_builders as db_
from tests.intake_builders import submitted


def test_bulk_accept_is_all_or_nothing(app):
    c = db_.campaign()
    office = b.user(Role.OFFICE)
    d1, _ = submitted(c, [("Nguyễn Văn Hải", "LDTT")])
    d2, _ = submitted(c, [("Trần Thị Lan", "LDTT")])
    dossier_ops.return_for_revision(
        office,
        d2,
        version=d2.version,
        items=[{"nominee_id": None, "component": "minutes", "reason": "Thiếu chữ ký."}],
    )
    db.session.commit()
    with pytest.raises(DomainError) as err:
        ops.bulk_accept(office, [(d1, d1.version), (d2, d2.version)])
    assert "Chưa tiếp nhận hồ sơ nào" in err.value.message
    assert any("Trả lại để bổ sung" in x for x in err.value.details)
    db.session.rollback()
    assert db.session.get(Dossier, d1.id).state == "submitted"


def test_bulk_accept_through_the_page(app, as_user):
    c = db_.campaign()
    d1, _ = submitted(c, [("Nguyễn Văn Hải", "LDTT")])
    d2, _ = submitted(c, [("Trần Thị Lan", "LDTT")])
    client = as_user(b.user(Role.OFFICE))
    resp = client.post(
        f"/tiep-nhan/{c.id}/tiep-nhan",
        {"dossier": [f"{d1.id}:{d1.version}", f"{d2.id}:{d2.version}"]},
        follow_redirects=True,
    )
    assert "Đã tiếp nhận 2 hồ sơ." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert {d1.state, d2.state} == {"accepted"}


def test_ineligible_needs_a_reason_and_leaves_the_list(app):
    c = db_.campaign()
    d, _ = submitted(c, [("Võ Thị Hạnh", "LDTT"), ("Võ Văn Tuấn", "LDTT")])
    office = b.user(Role.OFFICE)
    n = d.nominees[0]
    with pytest.raises(DomainError, match="lý do"):
        ops.mark_ineligible(office, n, reason="  ")
    ops.mark_ineligible(office, n, reason="Chưa đủ 10 tháng công tác.")
    db.session.commit()
    assert n.status == NomineeStatus.INELIGIBLE
    assert [r.name for r in rules.build(c).rows] == [d.nominees[1].name]
    ops.restore_nominee(office, n)
    assert len(rules.build(c).rows) == 2


def test_send_to_council_gates_freezes_and_versions(app):
    c = db_.campaign()
    office = b.user(Role.OFFICE)
    d1, _ = submitted(c, [("Lê Thị Thảo", "LDTT"), ("Lê Văn Cường", "LDTT")], state="accepted")
    d2, _ = submitted(c, [("Phạm Thị Vân", "LDTT")])
    with pytest.raises(DomainError, match="chưa kiểm tra"):
        ops.send_to_council(office, c, letter_number=None, letter_date=None, confirm_missing=True)
    db.session.rollback()
    dossier_ops.accept(office, d2, version=d2.version)
    db.session.commit()
    v1 = ops.send_to_council(
        office, c, letter_number="45/TTr-VP", letter_date=None, confirm_missing=True
    )
    db.session.commit()
    assert v1.number == 1 and len(v1.consolidated().rows) == 3
    assert {d1.state, d2.state} == {"council"}
    with pytest.raises(DomainError, match="không thay đổi"):
        ops.send_to_council(office, c, letter_number=None, letter_date=None, confirm_missing=True)
    db.session.rollback()
    removed = d1.nominees[0]
    ops.mark_ineligible(office, removed, reason="Bị kỷ luật khiển trách trong năm.")
    db.session.commit()
    assert ops.changed_since_sent(c, rules.build(c))
    v2 = ops.send_to_council(
        office, c, letter_number="46/TTr-VP", letter_date=None, confirm_missing=True
    )
    db.session.commit()
    diff = ops.version_diff(v1.consolidated(), v2.consolidated())
    assert [r.name for r in diff["removed"]] == [removed.name] and not diff["added"]
    assert len(v1.consolidated().rows) == 3  # the sent version is frozen


def test_errors_block_sending(app):
    c = db_.campaign()
    submitted(c, [("Đỗ Văn Lộc", "LDTT")], votes=(3, 5), state="accepted")
    with pytest.raises(DomainError) as err:
        ops.send_to_council(
            b.user(Role.OFFICE), c, letter_number=None, letter_date=None, confirm_missing=True
        )
    assert "1 lỗi" in err.value.message and "chưa đạt trên 50%" in err.value.details[0]


def test_intake_page_shows_late_units(app, as_user):
    c = db_.campaign(days_left=2)
    submitted(c, [("Nguyễn Văn Hải", "LDTT")])
    late = b.unit(name="Phòng Chậm Nộp", code="PCN")
    office = b.user(Role.OFFICE)
    client = as_user(office)
    page = client.get(f"/tiep-nhan/{c.id}").get_data(as_text=True)
    assert "Phòng Chậm Nộp" in page and "Chưa lập hồ sơ" in page and "Quá hạn" not in page
    timeutil.freeze(c.cutoff_at + timedelta(seconds=1))
    client = as_user(office)  # two days on: the first session has expired (idle limit)
    page = client.get(f"/tiep-nhan/{c.id}").get_data(as_text=True)
    assert "Quá hạn, chưa nộp" in page
    only_late = client.get(f"/tiep-nhan/{c.id}?trang-thai=none").get_data(as_text=True)
    assert "Phòng Chậm Nộp" in only_late and "Nguyễn Văn Hải" not in only_late
    assert late.id


@pytest.mark.parametrize(
    "role,status",
    [(Role.OFFICE, 200), (Role.UNIT_HEAD, 403), (Role.COUNCIL, 403), (Role.DIRECTOR, 403)],
)
def test_live_list_is_the_office_s(app, as_user, role, status):
    c = db_.campaign()
    assert as_user(b.user(role)).get(f"/tiep-nhan/{c.id}/danh-sach").status_code == status


@pytest.mark.parametrize(
    "role,status",
    [(Role.OFFICE, 200), (Role.COUNCIL, 200), (Role.DIRECTOR, 200), (Role.UNIT_HEAD, 403)],
)
def test_sent_versions_are_read_by_the_council(app, as_user, role, status):
    c = db_.campaign()
    office = b.user(Role.OFFICE)
    submitted(c, [("Lê Thị Thảo", "LDTT")], state="accepted")
    ops.send_to_council(office, c, letter_number=None, letter_date=None, confirm_missing=True)
    db.session.commit()
    assert as_user(b.user(role)).get(f"/tiep-nhan/{c.id}/phien-ban/1").status_code == status


def test_exports_download(app, as_user):
    c = db_.campaign()
    submitted(c, [("Huỳnh Thị Phượng", "LDTT")], state="accepted")
    client = as_user(b.user(Role.OFFICE))
    xlsx = client.get(f"/tiep-nhan/{c.id}/danh-sach.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    pdf = client.get(f"/tiep-nhan/{c.id}/danh-sach.pdf")
    assert pdf.status_code == 200 and pdf.data[:4] == b"%PDF"
    assert client.get(f"/tiep-nhan/{c.id}/danh-sach.exe").status_code == 404


@pytest.mark.real_db  # two threads, two transactions
def test_accept_and_return_at_once_one_wins(app, as_user):
    c = db_.campaign()
    d, _ = submitted(c, [("Ngô Thị Yến", "LDTT")])
    office = b.user(Role.OFFICE)
    clients = [as_user(office), as_user(office)]
    tokens = [cl.token(f"/ho-so/{d.id}") for cl in clients]
    base, version = f"/ho-so/{d.id}/thao-tac", d.version
    db.session.commit()
    data = [
        ("accept", {"csrf_token": tokens[0], "version": version}),
        (
            "return_for_revision",
            {
                "csrf_token": tokens[1],
                "version": version,
                "fix_target": "0",
                "fix_component": "minutes",
                "fix_reason": "Thiếu chữ ký.",
            },
        ),
    ]
    barrier, results = threading.Barrier(2), [None, None]

    def run(i):
        barrier.wait()
        trigger, form = data[i]
        results[i] = (
            clients[i]
            .client.post(f"{base}/{trigger}", data=form, follow_redirects=True)
            .get_data(as_text=True)
        )

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    ok = sum(("Đã tiếp nhận hồ sơ." in r) or ("Đã trả lại hồ sơ" in r) for r in results)
    assert ok == 1
    db.session.expire_all()
    assert db.session.get(Dossier, d.id).state in ("accepted", "returned")


def test_office_inbox_counts_units_not_yet_submitted(app, as_user):
    c = db_.campaign()
    submitted(c, [("Nguyễn Văn Hải", "LDTT")])
    b.unit(name="Phòng Chưa Nộp", code="PCN2")
    home = as_user(b.user(Role.OFFICE)).get("/").get_data(as_text=True)
    assert f"Đơn vị chưa nộp hồ sơ: {c.name}" in home


def _row_of(page: str, unit_name: str) -> str:
    start = page.index(f'data-unit="{unit_name}"')
    return page[start : page.index("</tr>", start)]


def test_pages_show_the_checks_per_dossier_list_and_row(app, as_user):
    c = db_.campaign()
    d1, _ = submitted(c, [("Huỳnh Ngọc Phượng", "LDTT"), ("Lê Văn Cường", "LDTT")])
    d2, _ = submitted(c, [("HUYNH NGOC PHUONG", "LDTT")], votes=(4, 4), present=8)
    client = as_user(b.user(Role.OFFICE))
    intake = client.get(f"/tiep-nhan/{c.id}").get_data(as_text=True)
    assert "danh sách hiện có 3 đề nghị" in intake
    assert '>1 lỗi</span>, <span class="text-warning-emphasis">2 cảnh báo<' in intake
    first, second = _row_of(intake, d1.unit.name), _row_of(intake, d2.unit.name)
    assert "lỗi" not in first and "1 cảnh báo" in first
    assert "1 lỗi" in second and "1 cảnh báo" in second
    listing = client.get(f"/tiep-nhan/{c.id}/danh-sach").get_data(as_text=True)
    assert "3 đề nghị" in listing and listing.count('data-rule="duplicate"') == 2
    assert listing.count('data-rule="unit_vote"') == 1
    page = client.get(f"/ho-so/{d2.id}").get_data(as_text=True)
    assert 'data-rule="duplicate"' in page and "4/8" in page
    page = client.get(f"/ho-so/{d1.id}").get_data(as_text=True)
    assert page.count('data-rule="duplicate"') == 1 and 'data-rule="unit_vote"' not in page


def test_pages_tell_when_the_list_changed_since_the_version_sent(app, as_user):
    c = db_.campaign()
    office = b.user(Role.OFFICE)
    d, _ = submitted(c, [("Lê Thị Thảo", "LDTT"), ("Lê Văn Cường", "LDTT")], state="accepted")
    client = as_user(office)
    banner = "Danh sách đã thay đổi so với phiên bản số"
    urls = (f"/tiep-nhan/{c.id}", f"/tiep-nhan/{c.id}/danh-sach")
    assert not any(banner in client.get(u).get_data(as_text=True) for u in urls)
    ops.send_to_council(office, c, letter_number=None, letter_date=None, confirm_missing=True)
    db.session.commit()
    assert not any(banner in client.get(u).get_data(as_text=True) for u in urls)
    ops.mark_ineligible(office, d.nominees[0], reason="Bị kỷ luật.")
    db.session.commit()
    assert all(f"{banner} 1" in client.get(u).get_data(as_text=True) for u in urls)
    ops.send_to_council(office, c, letter_number=None, letter_date=None, confirm_missing=True)
    db.session.commit()
    assert not any(banner in client.get(u).get_data(as_text=True) for u in urls)
    ops.restore_nominee(office, d.nominees[0])
    db.session.commit()
    assert all(f"{banner} 2" in client.get(u).get_data(as_text=True) for u in urls)
