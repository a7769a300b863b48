"""Decisions: drafting, gapless numbering, signing by the Director or a deputy, issuing,
immutability, history, corrections, permissions, the CLI export."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from dossier import audit
from dossier.decisions import operations as ops
from dossier.decisions.models import Decision
from dossier.enums import Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.history.models import AwardRecord
from tests import builders as b
from tests.decision_builders import approved, clerk, people, sign_and_issue


def test_draft_takes_the_approved_directors_awards_once(app):
    office, director, _ = people()
    c, d, _ = approved(6, codes=("LDTT", "GK_CN"))
    first = ops.draft(office, c, form_codes={"LDTT"})
    assert {a.form_code for a in first.awards} == {"LDTT"} and len(first.awards) == 3
    second = ops.draft(office, c)
    assert {a.form_code for a in second.awards} == {"GK_CN"}
    with pytest.raises(DomainError, match="chưa có quyết định"):
        ops.draft(office, c)
    assert "Tặng danh hiệu “Lao động tiên tiến” cho 3 cá nhân" in first.articles[0]
    with pytest.raises(DomainError, match="Văn phòng"):
        ops.draft(director, c)


def test_issue_numbers_records_history_and_moves_dossiers(app):
    office, director, _ = people()
    c, d, unit = approved(4)
    decision = ops.draft(office, c)
    db.session.commit()
    sign_and_issue(director, decision)
    db.session.commit()
    assert (decision.state, decision.number, decision.signer_lines) == ("issued", 1, ["GIÁM ĐỐC"])
    assert d.state == "issued"
    records = db.session.scalars(
        select(AwardRecord).where(AwardRecord.decision_id == decision.id)
    ).all()
    assert len(records) == 4 and all(r.decision_number == "01/QĐ-SKHCN" for r in records)
    assert all(r.staff_id for r in records) and records[0].source == "decision"
    assert decision.pdf[:4] == b"%PDF"
    with pytest.raises(DomainError, match="không ban hành lần hai"):
        ops.issue(clerk(), decision, version=decision.version)


def test_issued_decision_is_immutable(app):
    office, director, _ = people()
    c, *_ = approved(2)
    decision = ops.draft(office, c)
    sign_and_issue(director, decision)
    db.session.commit()
    with pytest.raises(DomainError, match="đính chính"):
        ops.update_draft(
            office,
            decision,
            version=decision.version,
            subject="Khác",
            legal_basis="",
            articles=["x"],
            recipients="",
        )
    db.session.rollback()
    decision.subject = "Sửa lén"
    with pytest.raises(ValueError, match="immutable"):
        db.session.flush()
    db.session.rollback()


def test_deputy_signs_on_the_directors_behalf(app):
    office, director, deputy = people()
    c, *_ = approved(2)
    decision = ops.draft(office, c)
    sign_and_issue(deputy, decision)
    db.session.commit()
    assert decision.signer_lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    event = next(
        e for e in audit.timeline("decision", decision.id) if e.action == "decision_signed"
    )
    assert event.on_behalf_of.startswith("Giám đốc")
    assert audit.timeline("decision", decision.id)[-1].action == "decision_issued"


def test_only_a_signer_signs_and_only_the_van_thu_numbers(app):
    office, director, _ = people()
    c, *_ = approved(2)
    decision = ops.draft(office, c)
    with pytest.raises(DomainError, match="Giám đốc"):
        ops.sign(office, decision, version=decision.version)
    with pytest.raises(DomainError, match="Đã ký, chờ cấp số|Dự thảo"):
        ops.issue(clerk(), decision, version=decision.version)  # not signed yet
    with pytest.raises(DomainError, match="Giám đốc"):
        ops.sign(clerk(), decision, version=decision.version)
    ops.sign(director, decision, version=decision.version)
    with pytest.raises(DomainError, match="Văn thư"):
        ops.issue(director, decision, version=decision.version)
    assert decision.state == "signed" and decision.number is None


@pytest.mark.real_db  # four threads, four transactions
def test_numbers_are_unique_and_gapless_when_issued_at_the_same_moment(app, as_user):
    office, director, deputy = people()
    drafts = []
    for _ in range(4):
        c, *_ = approved(2, unit=b.unit())
        drafts.append(ops.draft(office, c))
        ops.sign(director if len(drafts) % 2 else deputy, drafts[-1], version=drafts[-1].version)
    db.session.commit()
    clerks = [clerk(), b.user(Role.CLERK, username="vt2")]
    db.session.commit()
    clients = [as_user(clerks[i % 2]) for i in range(4)]
    tokens = [cl.token("/quyet-dinh/") for cl in clients]
    posts = [
        (f"/quyet-dinh/{d.id}/ban-hanh", {"csrf_token": t, "version": d.version})
        for d, t in zip(drafts, tokens, strict=True)
    ]
    db.session.commit()
    barrier = threading.Barrier(4)

    def run(i):
        barrier.wait()
        clients[i].client.post(posts[i][0], data=posts[i][1])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    db.session.expire_all()
    numbers = sorted(db.session.scalars(select(Decision.number).where(Decision.state == "issued")))
    assert numbers == [1, 2, 3, 4]


def test_correction_is_a_new_decision_naming_the_old(app):
    office, director, _ = people()
    c, *_ = approved(2)
    decision = ops.draft(office, c)
    sign_and_issue(director, decision)
    fix = ops.correct(office, decision)
    assert fix.state == "draft" and fix.corrects_id == decision.id
    assert "đính chính Quyết định số 01/QĐ-SKHCN" in fix.subject
    assert ops.data_of(fix).corrects.startswith("Quyết định số 01/QĐ-SKHCN")


@pytest.mark.parametrize(
    "who,draft_status,issued_status",
    [
        ("office", 200, 200),
        ("director", 200, 200),
        ("unit_head_awarded", 403, 200),
        ("unit_head_other", 403, 403),
        ("council", 403, 403),
    ],
)
def test_who_sees_a_decision(app, as_user, who, draft_status, issued_status):
    office, director, _ = people()
    c, d, unit = approved(2)
    users = {
        "office": office,
        "director": director,
        "unit_head_awarded": b.user(Role.UNIT_HEAD, unit_obj=unit),
        "unit_head_other": b.user(Role.UNIT_HEAD, unit_obj=b.unit()),
        "council": b.user(Role.COUNCIL),
    }
    decision = ops.draft(office, c)
    db.session.commit()
    client = as_user(users[who])
    assert client.get(f"/quyet-dinh/{decision.id}").status_code == draft_status
    assert client.get(f"/quyet-dinh/{decision.id}/pdf").status_code == draft_status
    sign_and_issue(director, decision)
    db.session.commit()
    assert client.get(f"/quyet-dinh/{decision.id}/docx").status_code == issued_status


def test_cli_exports_latest(app, tmp_path):
    office, director, _ = people()
    c, *_ = approved(3)
    decision = ops.draft(office, c)
    sign_and_issue(director, decision)
    db.session.commit()
    runner = app.test_cli_runner()
    out = tmp_path / "qd.pdf"
    result = runner.invoke(args=["decision", "export", "latest", "--format", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == decision.pdf
    result = runner.invoke(
        args=[
            "decision",
            "export",
            str(decision.id),
            "--format",
            "docx",
            "-o",
            str(tmp_path / "qd.docx"),
        ]
    )
    assert result.exit_code == 0 and (tmp_path / "qd.docx").read_bytes()[:2] == b"PK"
    db.session.rollback()
    missing = runner.invoke(args=["decision", "export", "999", "-o", str(tmp_path / "x")])
    assert missing.exit_code == 1 and "Không tìm thấy" in missing.output


def test_proposals_upward_zip(app, as_user):
    import io
    import zipfile

    from dossier.enums import NomineeStatus

    office, director, _ = people()
    c, d, _ = approved(3, codes=("BK_CN",))
    for n in d.nominees:
        n.status = NomineeStatus.UPWARD
    db.session.commit()
    client = as_user(office)
    resp = client.get(f"/quyet-dinh/de-nghi-cap-tren/{c.id}.zip")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(resp.data)).namelist()
    assert names[:2] == ["01-to-trinh.pdf", "02-danh-sach.xlsx"]
    assert len([x for x in names if x.startswith("03-bao-cao/")]) == 3
    assert any("nguyen-thi-quynh" in x for x in names)
    assert as_user(director).get(f"/quyet-dinh/de-nghi-cap-tren/{c.id}.zip").status_code == 403


def test_the_signer_and_the_units_are_told(app, as_user):
    office, director, _ = people()
    c, d, unit = approved(2)
    decision = ops.draft(office, c)
    db.session.commit()
    head = b.user(Role.UNIT_HEAD, unit_obj=unit)
    assert "Ký quyết định" in as_user(director).get("/").get_data(as_text=True)
    ops.sign(director, decision, version=decision.version)
    db.session.commit()
    assert "Cấp số, ban hành quyết định" in as_user(clerk()).get("/").get_data(as_text=True)
    ops.issue(clerk(), decision, version=decision.version)
    db.session.commit()
    home = as_user(head).get("/").get_data(as_text=True)
    assert "Quyết định số 01 đã ban hành" in home and "2 tập thể, cá nhân" in home


def test_the_list_counts_what_a_draft_would_take_and_what_goes_upward(app, as_user):
    from dossier.decisions.counts import awardable_counts, upward_counts
    from dossier.decisions.upward import upward_nominees
    from dossier.enums import NomineeStatus

    office, _, _ = people()
    c, d, _ = approved(5, codes=("LDTT", "GK_CN"))
    other, d2, _ = approved(3, codes=("GK_CN",), unit=b.unit(name="Phòng Khác", code="PK"))
    d2.nominees[0].status = NomineeStatus.UPWARD
    ops.draft(office, c, form_codes={"LDTT"})  # some of c's nominees are taken
    db.session.commit()
    ids = [c.id, other.id]
    assert awardable_counts(ids) == {x.id: len(ops.awardable(x)) for x in (c, other)}
    assert upward_counts(ids) == {x.id: len(upward_nominees(x)) for x in (c, other)}
    assert upward_counts(ids)[other.id] == 1
    assert awardable_counts(ids) == {c.id: 2, other.id: 2}  # GK_CN left in c; d2's two
    assert as_user(office).get("/quyet-dinh/").status_code == 200
