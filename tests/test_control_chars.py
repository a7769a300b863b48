"""Control characters (NUL included) in every text field: refused at input with a Vietnamese
message naming the field (HTTP 422), nothing saved; tab and newline only in multi-line fields.

Every form class of the app is walked field by field (test_every_text_field_of_every_form);
then each form the people of the process really post is sent over HTTP with a control
character in each of its text fields, and the whole database is compared before and after.
The same form with clean text must then save (else the test could not fail).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from wtforms import StringField, TextAreaField

from dossier.enums import NomineeKind, Role
from dossier.extensions import db
from dossier.forms import Form
from dossier.nominations import operations as dossier_ops
from dossier.org.models import Staff
from dossier.params import BadInput
from dossier.text import has_control_chars
from dossier.timeutil import local_now
from tests import builders as b
from tests import dossier_builders as db_
from tests.flow_builders import forms as forms_of
from tests.flow_builders import unit_with_head
from tests.intake_builders import submitted

# One backend is enough: refused at input, before any database work.
pytestmark = pytest.mark.one_backend("neutral")

MESSAGE = "chứa ký tự điều khiển không hợp lệ"
BAD = ["A\x00B", "A\x07B", "\x1b[31mA", "A\x7fB", "A\x85B"]
LINE_BREAKS = ["A\nB", "A\r\nB", "A\tB"]


def _all_form_classes():
    seen, todo = [], [Form]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.append(sub)
                todo.append(sub)
    return seen


def test_every_text_field_of_every_form(app):
    """Every StringField/TextAreaField (passwords and hidden fields too) of every form."""
    import dossier.campaigns.views  # noqa: F401  (forms defined in view modules)
    import dossier.history.views  # noqa: F401
    import dossier.nominations.file_views  # noqa: F401

    checked = 0
    for cls in _all_form_classes():
        probe = cls.__name__ != "Bound"  # with_registrations' runtime subclass: same fields
        if not probe:
            continue
        with app.test_request_context(method="POST", data={}):
            names = [f.name for f in cls(meta={"csrf": False}) if isinstance(f, StringField)]
        for name in names:
            for value in BAD:
                with app.test_request_context(method="POST", data={name: value}):
                    form = cls(meta={"csrf": False})
                    with pytest.raises(BadInput) as err:
                        form.validate()
                    assert MESSAGE in err.value.message and form[name].label.text in (
                        err.value.message
                    )
                    assert err.value.status == 422
            multiline = isinstance(cls(meta={"csrf": False})[name], TextAreaField)
            for value in LINE_BREAKS:
                with app.test_request_context(method="POST", data={name: value}):
                    form = cls(meta={"csrf": False})
                    if multiline:
                        try:
                            form.validate()
                        except BadInput:  # pragma: no cover
                            pytest.fail(f"{cls.__name__}.{name} refused a line break")
                        except Exception:  # noqa: BLE001  (choices unset: not our concern)
                            pass
                    else:
                        with pytest.raises(BadInput):
                            form.validate()
            checked += 1
    assert checked >= 50, checked


# --- over HTTP, with the database compared before and after -------------------------------


# Written by any page once a minute has passed (org/sessions.py), whatever the form: on a
# busy machine this test outlasts a minute, and the touch is not something a form saved.
VOLATILE = {("user_session", "last_seen_at")}


def _snapshot() -> dict:
    """Every row of every table: 'nothing saved' means exactly this is unchanged. Read with
    the driver's cursor on the session's connection: the rows text() gives (it converts
    nothing untyped), without SQLAlchemy's per-statement work or its Row repr (which cuts)."""
    db.session.rollback()
    cursor, out = db.session.connection().connection.cursor(), {}
    try:
        for table in db.metadata.sorted_tables:
            kept = [f'"{c.name}"' for c in table.columns if (table.name, c.name) not in VOLATILE]
            cursor.execute(f'SELECT {", ".join(kept)} FROM "{table.name}"')
            out[table.name] = sorted(map(repr, cursor.fetchall()))
    finally:
        cursor.close()
    db.session.rollback()
    return out


@pytest.fixture
def world(app):
    """One of each thing the forms act on, and the people who post them."""
    unit, head = unit_with_head()
    draft = db_.dossier(unit)
    person = db.session.scalar(select(Staff).where(Staff.unit_id == unit.id))
    nominee = dossier_ops.add_nominee(
        head,
        draft,
        version=draft.version,
        kind=NomineeKind.INDIVIDUAL,
        award_form_id=forms_of(draft)["LDTT"].id,
        staff_id=person.id,
    )
    db.session.commit()
    campaign = draft.campaign
    sent, _ = submitted(db_.campaign(), [("Phan Văn Dũng", "LDTT")])
    office = b.user(Role.OFFICE)
    admin = b.user(Role.ADMIN)
    colleague = b.user(Role.UNIT_CLERK, unit_obj=unit)
    from tests import decision_builders as dec

    dec_campaign, _, _ = dec.approved(n=2)
    from dossier.decisions import operations as dec_ops

    decision = dec_ops.draft(office, dec_campaign)
    from tests.council_builders import council, sent_list

    council_campaign, _ = sent_list()
    council(council_campaign.year, 3)
    db.session.commit()
    return {
        "head": head,
        "draft": draft,
        "nominee": nominee,
        "campaign": campaign,
        "sent": sent,
        "office": office,
        "admin": admin,
        "colleague": colleague,
        "decision": decision,
        "council_campaign": council_campaign,
        "unit": unit,
    }


def _scenarios(w):
    """(name, poster, url, clean data, {field: multiline}, token page)."""
    d, n, today = w["draft"], w["nominee"], local_now().date()
    ldtt = forms_of(d)["LDTT"].id
    award_form = d.campaign.award_forms[0]
    yield (
        "tờ trình",
        "head",
        f"/ho-so/{d.id}/to-trinh",
        {"version": d.version, "number": "15/TTr", "signer": "Ký", "text": "Đề nghị"},
        {"number": False, "signer": False, "text": True},
    )
    yield (
        "nominee add",
        "head",
        f"/ho-so/{d.id}/nguoi",
        {
            "version": d.version,
            "kind": "individual",
            "staff_id": 0,
            "name": "Người Ngoài",
            "position": "Kỹ sư",
            "award_form_id": ldtt,
        },
        {"name": False, "position": False},
    )
    yield (
        "nominee edit",
        "head",
        f"/ho-so/nguoi/{n.id}/sua",
        {"version": d.version, "position": "Trưởng nhóm", "award_form_id": ldtt},
        {"position": False},
    )
    report = {
        k: "Nội dung"
        for k in (
            "qualifications",
            "situation",
            "duties",
            "achievements",
            "initiatives",
            "awards_received",
        )
    }
    yield (
        "report",
        "head",
        f"/ho-so/nguoi/{n.id}/bao-cao",
        {"version": d.version, "hometown": "Khánh Hòa", **report},
        {"hometown": False, **{k: True for k in report}},
    )
    yield (
        "minutes",
        "head",
        f"/ho-so/{d.id}/bien-ban",
        {"version": d.version, "chair": "Chủ trì", "secretary": "Thư ký", "present": 5},
        {"chair": False, "secretary": False},
    )
    s = w["sent"]
    yield (
        "return for revision",
        "office",
        f"/ho-so/{s.id}/thao-tac/return_for_revision",
        {
            "version": s.version,
            "comment": "Bổ sung",
            "fix_target": "0",
            "fix_component": "letter",
            "fix_reason": "Thiếu chữ ký",
        },
        {"comment": True, "fix_reason": False, "fix_component": False},
    )
    yield (
        "campaign",
        "office",
        "/dot-thi-dua/moi",
        {
            "name": "Đợt mới",
            "year": today.year,
            "kind": "yearly",
            "deadline": (today + timedelta(days=30)).isoformat(),
            "plan_reference": "Kế hoạch 1",
            "legal_basis": "Luật",
            "description": "Mô tả",
            "award_form_ids": ldtt,
        },
        {"name": False, "plan_reference": False, "legal_basis": True, "description": True},
    )
    yield (
        "award form",
        "office",
        f"/dot-thi-dua/hinh-thuc/{award_form.id}",
        {
            "name": award_form.name + " (sửa)",
            "ballot": award_form.ballot,
            "threshold_pct": 50,
            "threshold_base": award_form.threshold_base,
            "unit_vote_pct": 0,
            "quota_of_code": "",
            "prerequisite": "Điều kiện",
            "certificate_template_id": 0,
        },
        {"name": False, "quota_of_code": False, "prerequisite": True},
    )
    yield (
        "agency",
        "admin",
        "/quan-tri/co-quan",
        {
            "parent_body": "UBND TỈNH KHÁNH HÒA",
            "name": "Sở Khoa học và Công nghệ",
            "short_code": "SKHCN",
            "place_name": "Khánh Hòa",
            "director_name": "Lê Văn Thắng",
            "director_title": "Giám đốc",
            "email": "",
        },
        {k: False for k in ("parent_body", "name", "place_name", "director_name")},
    )
    yield (
        "unit",
        "admin",
        "/quan-tri/don-vi/moi",
        {"name": "Phòng Mới", "code": "PM1", "kind": "division", "sort_order": 5},
        {"name": False, "code": False},
    )
    yield (
        "staff",
        "admin",
        "/quan-tri/can-bo/moi",
        {
            "full_name": "Hồ Thị Mai",
            "position": "Chuyên viên",
            "unit_id": w["unit"].id,
            "gender": "female",
            "hold_reason": "",
        },
        {"full_name": False, "position": False, "hold_reason": True},
    )
    loose = b.staff(w["unit"], "Đoàn Văn Tâm")
    db.session.commit()
    yield (
        "account",
        "admin",
        "/quan-tri/tai-khoan/moi",
        {"username": "tam.doan", "email": "", "staff_id": loose.id, "password": "matkhau123"},
        {"username": False, "email": False, "password": False},
    )
    yield (
        "delegation",
        "head",
        "/tai-khoan/lam-thay",
        {
            "substitute_id": w["colleague"].id,
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=3)).isoformat(),
            "reason": "Đi công tác",
        },
        {"reason": False},
    )
    yield (
        "meeting",
        "office",
        "/hoi-dong/tao",
        {
            "campaign_id": w["council_campaign"].id,
            "held_on": today.isoformat(),
            "place": "Phòng họp",
            "guests": "Khách",
        },
        {"place": False, "guests": False},
    )
    dec = w["decision"]
    yield (
        "decision draft",
        "office",
        f"/quyet-dinh/{dec.id}/sua",
        {
            "version": dec.version,
            "subject": "Về việc khen thưởng",
            "legal_basis": "Căn cứ",
            "article_1": "Điều một",
            "recipients": "Như Điều 3",
        },
        {"subject": False, "legal_basis": True, "article_1": True, "recipients": True},
    )


def test_control_characters_in_every_posted_form_save_nothing(world, as_user):
    clients = {k: as_user(world[k]) for k in ("head", "office", "admin")}
    done = []
    for name, who, url, clean, fields in _scenarios(world):
        client = clients[who]
        before = _snapshot()  # each refusal is checked against it: nothing may move it
        for field, multiline in fields.items():
            values = BAD + ([] if multiline else LINE_BREAKS)
            for value in values:
                resp = client.post(url, {**clean, field: value})
                body = resp.get_data(as_text=True)
                assert resp.status_code == 422, (name, field, repr(value), resp.status_code)
                assert MESSAGE in body, (name, field)
                assert _snapshot() == before, (name, field, repr(value))
        # The clean form saves, with a line break in every field that has lines.
        lines = {field: "Dòng một\r\nDòng hai" for field, multi in fields.items() if multi}
        resp = client.post(url, {**clean, **lines})
        assert resp.status_code == 302, (name, resp.status_code, resp.get_data(as_text=True)[:300])
        assert _snapshot() != before, f"{name}: the clean form saved nothing"
        done.append(name)
    assert len(done) == 15


def test_other_raw_form_fields_refuse_control_characters(world, as_user):
    """The raw POST handlers that are not WTForms: ineligible reason, the tờ trình to the
    council, a reopen reason, a recusal reason."""
    office = as_user(world["office"])
    n = world["sent"].nominees[0]
    campaign = world["sent"].campaign
    for url, data in (
        (f"/tiep-nhan/nguoi/{n.id}/khong-du-dieu-kien", {"reason": "Lý do\x00"}),
        (f"/tiep-nhan/{campaign.id}/gui-hoi-dong", {"letter_number": "1/TTr\x07"}),
        (f"/tiep-nhan/{campaign.id}/gui-hoi-dong", {"note": "Ghi\x1fchú"}),
        (f"/tiep-nhan/{campaign.id}/gui-hoi-dong", {"note": "Ghi\nchú"}),
    ):
        before = _snapshot()
        resp = office.post(url, data)
        assert resp.status_code == 422 and MESSAGE in resp.get_data(as_text=True), url
        assert _snapshot() == before


def test_the_filter_itself():
    assert has_control_chars("a\x00b") and has_control_chars("a\x00b", multiline=True)
    assert has_control_chars("a\nb") and not has_control_chars("a\nb", multiline=True)
    assert not has_control_chars("Nguyễn Văn A – “Đức” ©")
    assert has_control_chars("\x9b") and not has_control_chars("\xa0")
