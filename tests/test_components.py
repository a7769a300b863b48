"""Required dossier components as data: per campaign (the signed scans of the tờ trình and
the minutes, on by default) and per award form; the unit's checklist asks for them, the
intake check reports dossiers in play without them."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from dossier.audit import AuditEvent
from dossier.enums import AttachmentKind, DossierComponent, Role
from dossier.extensions import db
from dossier.intake import rules
from dossier.nominations.checklist import dossier_missing
from dossier.nominations.models import Attachment
from tests import builders as b
from tests import dossier_builders as db_
from tests.dossier_builders import flashes
from tests.flow_builders import ready_dossier


def _scans_only(d) -> list[str]:
    return [str(m) for m in dossier_missing(d) if "bản scan" in str(m)]


def _drop_scans(d) -> None:
    for a in [a for a in d.attachments if a.nominee_id is None]:
        d.attachments.remove(a)
    db.session.commit()


def test_new_campaigns_require_both_signed_scans_and_the_checklist_asks(app, as_user):
    d, head = ready_dossier()
    assert d.campaign.dossier_components == list(DossierComponent)
    assert dossier_missing(d) == []  # the builder uploaded both
    _drop_scans(d)
    missing = _scans_only(d)
    assert len(missing) == 2
    assert missing[0].startswith("Tờ trình: thiếu bản scan tờ trình có chữ ký")
    assert missing[1].startswith("Biên bản họp: thiếu bản scan biên bản họp")
    page = as_user(head).get(f"/ho-so/{d.id}").get_data(as_text=True)
    assert "thiếu bản scan tờ trình có chữ ký" in page and "có thể nộp" not in page
    d.attachments.append(
        Attachment(
            kind=AttachmentKind.LETTER_SCAN,
            filename="to-trinh.pdf",
            content_type="application/pdf",
            size=1,
            sha256="2" * 64,
            uploaded_by_id=head.id,
        )
    )
    db.session.commit()
    assert [m.split(":")[0] for m in _scans_only(d)] == ["Biên bản họp"]
    # Unticked by the Văn phòng: no longer asked.
    d.campaign.dossier_components = []
    db.session.commit()
    assert _scans_only(d) == []


def test_the_office_sets_them_per_campaign_and_per_award_form(app, as_user):
    office = b.user(Role.OFFICE)
    client = as_user(office)
    page = client.get("/dot-thi-dua/moi").get_data(as_text=True)
    for c in DossierComponent:  # both ticked for a new campaign
        assert re.search(rf'<input checked [^>]*value="{c.value}"', page), c
    c = db_.campaign()
    db.session.commit()
    form = {
        "name": c.name,
        "year": c.year,
        "kind": "yearly",
        "deadline": "2099-12-20",
        "award_form_ids": [f.id for f in c.award_forms],
        "dossier_components": ["letter_scan"],
    }
    resp = client.post(f"/dot-thi-dua/{c.id}/sua", form, page=f"/dot-thi-dua/{c.id}/sua")
    assert resp.status_code == 302, flashes(client)
    db.session.expire_all()
    assert c.dossier_components == [DossierComponent.LETTER_SCAN]
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "campaign_updated")
    ).all()[-1]
    assert event.payload["dossier_components"] == ["letter_scan"]
    shown = client.get(f"/dot-thi-dua/{c.id}").get_data(as_text=True)
    assert "Bản scan tờ trình có chữ ký, đóng dấu" in shown
    assert "Bản scan biên bản họp có chữ ký" not in shown
    # An award form's own components.
    lddt = next(f for f in c.award_forms if f.code == "LDTT")
    url = f"/dot-thi-dua/hinh-thuc/{lddt.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="components"' in page
    data = {
        "name": lddt.name,
        "ballot": lddt.ballot,
        "threshold_pct": lddt.threshold_pct,
        "threshold_base": lddt.threshold_base,
        "unit_vote_pct": lddt.unit_vote_pct,
        "certificate_template_id": 0,
        "active": "y",
        "components": ["report", "report_confirmed", "report_scan"],
    }
    if lddt.threshold_strict:
        data["threshold_strict"] = "y"
    resp = client.post(url, data, page=url)
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    db.session.expire_all()
    assert json.loads(lddt.components_json) == ["report", "report_confirmed", "report_scan"]


def test_the_simplified_procedure_asks_no_scans(app):
    from dossier.campaigns.models import Campaign
    from dossier.enums import CampaignKind

    c = Campaign(name="Đột xuất", year=2026, kind=CampaignKind.ONE_OFF, cutoff_at=None)
    assert c.dossier_components == []


def test_the_intake_check_reports_missing_uploads(app, as_user):
    d, head = ready_dossier()
    from dossier.nominations import operations as ops

    ops.submit(head, d, version=d.version)
    db.session.commit()
    assert not [f for f in rules.build(d.campaign).all_findings if f.rule == "components"]
    # The requirement came after the dossier was sent: the check says what is missing.
    d.attachments[:] = [a for a in d.attachments if a.kind != AttachmentKind.MINUTES_SCAN]
    lddt = next(f for f in d.campaign.award_forms if f.code == "LDTT")
    lddt.components = [*lddt.components, "report_scan"]
    db.session.commit()
    found = [f for f in rules.build(d.campaign).all_findings if f.rule == "components"]
    messages = [f.message for f in found]
    assert any("thiếu bản scan biên bản họp" in m for m in messages)
    assert sum("bản scan báo cáo thành tích" in m for m in messages) == 2  # two LĐTT
    assert {f.level for f in found} == {"warning"}
    page = as_user(b.user(Role.OFFICE)).get(f"/ho-so/{d.id}").get_data(as_text=True)
    assert "thiếu bản scan biên bản họp" in page
