"""The simplified procedure (thủ tục đơn giản) for ad hoc awards, chosen by the campaign's
kind: no cut-off, a tờ trình and a summary of the achievement per nominee, no council (a
setting), the same engine, pages and buttons reading its own table."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from dossier import timeutil
from dossier.campaigns.catalogue import ensure_default_forms
from dossier.campaigns.models import Campaign
from dossier.decisions import operations as decision_ops
from dossier.enums import CampaignKind, NomineeKind, NomineeStatus, Role
from dossier.errors import DomainError
from dossier.extensions import db
from dossier.inbox import tasks_for
from dossier.intake import operations as intake_ops
from dossier.nominations import operations as ops
from dossier.nominations.checklist import dossier_missing
from dossier.states import DossierState
from dossier.workflow import flow_of
from tests import builders as b
from tests.decision_builders import sign_and_issue
from tests.flow_builders import unit_with_head


def _campaign(kind=CampaignKind.ONE_OFF) -> Campaign:
    c = Campaign(name="Khen thưởng đột xuất: cứu hộ lũ", year=2026, kind=kind, cutoff_at=None)
    c.award_forms = [f for f in ensure_default_forms() if f.code == "GK_CN"]
    db.session.add(c)
    db.session.flush()
    return c


def _dossier(campaign, head, unit):
    d = ops.create_dossier(head, campaign, unit)
    ops.update_letter(
        head, d, version=d.version, number="7/TTr", letter_date=None, signer="Thủ trưởng", text=""
    )
    person = b.staff(unit, "Lò Văn Quyết")
    form = campaign.award_forms[0]
    nominee = ops.add_nominee(
        head,
        d,
        version=d.version,
        kind=NomineeKind.INDIVIDUAL,
        award_form_id=form.id,
        staff_id=person.id,
    )
    db.session.commit()
    return d, nominee


def test_the_kind_picks_the_procedure_and_its_shorter_dossier(app):
    unit, head = unit_with_head()
    d, nominee = _dossier(_campaign(), head, unit)
    assert flow_of(d).name == "dossier_simple" and d.campaign.cutoff_for(unit.id) is None
    missing = [str(m) for m in dossier_missing(d)]
    # The tờ trình's date and a summary; no minutes, no full report, no confirmation.
    assert missing == [
        "Tờ trình: thiếu ngày ký",
        "Lò Văn Quyết: thiếu tóm tắt thành tích (phần II của báo cáo thành tích)",
    ]
    d.letter_date = timeutil.now().date()
    ops.save_report(head, nominee, version=d.version, achievements="Cứu 12 người trong lũ.")
    db.session.commit()
    assert dossier_missing(d) == []
    # No cut-off: a year later the unit still sends it.
    timeutil.freeze(timeutil.now() + timedelta(days=365))
    ops.submit(head, d, version=d.version)
    assert d.state == DossierState.SUBMITTED


def test_without_a_council_the_office_puts_it_before_the_director(app, as_user):
    unit, head = unit_with_head()
    d, nominee = _dossier(_campaign(), head, unit)
    d.letter_date = timeutil.now().date()
    ops.save_report(head, nominee, version=d.version, achievements="Cứu 12 người trong lũ.")
    ops.submit(head, d, version=d.version)
    office = b.user(Role.OFFICE)
    ops.accept(office, d, version=d.version)
    db.session.commit()
    with pytest.raises(DomainError, match="không qua Hội đồng"):
        intake_ops.send_to_council(
            office, d.campaign, letter_number="1", letter_date=None, confirm_missing=True
        )
    db.session.rollback()
    client = as_user(office)
    intake = client.get(f"/tiep-nhan/{d.campaign_id}").get_data(as_text=True)
    assert "không có hạn nộp" in intake
    listing = client.get(f"/tiep-nhan/{d.campaign_id}/danh-sach").get_data(as_text=True)
    assert 'data-testid="no-council"' in listing and 'data-testid="send-form"' not in listing
    page = client.get(f"/ho-so/{d.id}").get_data(as_text=True)
    assert "Trình Giám đốc quyết định" in page and 'id="bien-ban"' not in page
    assert "Thủ tục đơn giản" in page
    resp = client.post(
        f"/ho-so/{d.id}/thao-tac/propose",
        {"version": d.version},
        page=f"/ho-so/{d.id}",
        follow_redirects=True,
    )
    assert "Đã trình Giám đốc" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert d.state == DossierState.DECIDED
    assert d.nominees[0].status == NomineeStatus.APPROVED
    office, director = db.session.merge(office), b.user(Role.DIRECTOR)
    director.staff.position = "Giám đốc"
    decision = decision_ops.draft(office, d.campaign)
    sign_and_issue(director, decision)
    db.session.commit()
    assert [a.name for a in decision.awards] == ["Lò Văn Quyết"]
    assert d.state == DossierState.ISSUED


def test_the_yearly_procedure_has_no_propose_and_keeps_its_cutoff(app, as_user):
    office = as_user(b.user(Role.OFFICE))
    forms = ensure_default_forms()
    db.session.commit()
    base = {
        "name": "Khen thưởng đột xuất tháng 9",
        "year": 2026,
        "kind": CampaignKind.ONE_OFF.value,
        "award_form_ids": [forms[0].id],
    }
    resp = office.post("/dot-thi-dua/moi", base, page="/dot-thi-dua/moi", follow_redirects=True)
    assert "Đã lưu đợt thi đua." in resp.get_data(as_text=True)
    simple = db.session.scalar(select(Campaign).where(Campaign.name == base["name"]))
    assert simple.cutoff_at is None and "Thủ tục đơn giản" in resp.get_data(as_text=True)
    resp = office.post(
        "/dot-thi-dua/moi",
        {**base, "name": "Khen thưởng năm 2026", "kind": CampaignKind.YEARLY.value},
        page="/dot-thi-dua/moi",
    )
    assert resp.status_code == 422 and "Cần chọn ngày hạn nộp" in resp.get_data(as_text=True)
    assert "propose" not in {r["trigger"] for r in flow_of(_yearly_dossier()).rows.values()}


def _yearly_dossier():
    unit, head = unit_with_head("Phòng Năm", "PN")
    return ops.create_dossier(head, _campaign(CampaignKind.YEARLY), unit)


def test_the_kind_cannot_change_the_procedure_once_dossiers_exist(app):
    unit, head = unit_with_head()
    c = _campaign()
    _dossier(c, head, unit)
    office = b.user(Role.OFFICE)
    from dossier.campaigns.operations import save_campaign

    with pytest.raises(DomainError, match="không đổi sang loại có quy trình khác"):
        save_campaign(
            office,
            c,
            name=c.name,
            year=c.year,
            kind=CampaignKind.YEARLY,
            deadline=timeutil.local_now().date() + timedelta(days=10),
            plan_reference=None,
            legal_basis=None,
            description=None,
            award_form_ids=[f.id for f in c.award_forms],
            registrations={},
        )


def test_no_unit_owes_an_ad_hoc_dossier_but_a_started_one_is_listed(app):
    unit, head = unit_with_head()
    c = _campaign()
    with app.test_request_context():
        assert not [t for t in tasks_for(head) if c.name in t.title]
    d, _ = _dossier(c, head, unit)
    with app.test_request_context():
        tasks = [t for t in tasks_for(head) if c.name in t.title]
    assert [t.title for t in tasks] == [f"Hoàn thiện và nộp hồ sơ: {c.name}"]
    assert "Hạn" not in tasks[0].detail and not tasks[0].urgent
