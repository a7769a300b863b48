"""User text in every export stays text: never a formula in an XLSX, literal in PDF and DOCX.

Formula injections typed as a nominee's name, position or unit reach the consolidated XLSX,
the two Excel templates and the upward ZIP's list as string cells holding exactly what was
typed; control characters already stored never break an export (U+FFFD in their place);
script-like names print literally in the tờ trình, the consolidated list and the decision
(pdftotext, python-docx). Hypothesis checks the two functions everything goes through.
"""

from __future__ import annotations

import subprocess
from io import BytesIO

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from dossier.enums import NomineeKind, NomineeStatus, Role
from dossier.extensions import db
from dossier.nominations.models import Dossier, Nominee
from dossier.spreadsheet import FORMULA_TRIGGERS, excel_text, set_text, unescape_excel
from dossier.text import ILLEGAL_XML_RE, REPLACEMENT, fold, name_sort_key
from dossier.timeutil import now
from tests import builders as b
from tests import dossier_builders as db_

FORMULAS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "-2+3"]
SCRIPTS = ["B'+alert(1)+'", "<script>alert(1)</script>"]
UNIT_NAME = '=HYPERLINK("http://u","Phòng")'


def _nominee(d, form, name, position, status, unit_label):
    db.session.add(
        Nominee(
            dossier_id=d.id,
            kind=NomineeKind.INDIVIDUAL,
            name=name,
            name_folded=fold(name),
            sort_key=name_sort_key(name),
            position=position,
            unit_label=unit_label,
            award_form_id=form.id,
            status=status,
            votes_for=9,
            votes_against=0,
        )
    )


def _dossier(campaign, unit, state, status, names, positions):
    form = next(f for f in campaign.award_forms if f.code == "LDTT")
    d = Dossier(
        campaign_id=campaign.id,
        unit_id=unit.id,
        seq=1,
        state=state,
        revision=1,
        submitted_at=now(),
        letter_number="1/TTr",
        letter_date=now().date(),
        meeting_present=10,
        meeting_total=10,
    )
    db.session.add(d)
    db.session.flush()
    for name, position in zip(names, positions, strict=True):
        _nominee(d, form, name, position, status, unit.name)
    db.session.commit()
    return d


@pytest.fixture
def typed(app):
    """Injections typed everywhere a unit can type: names, positions, the unit's name."""
    unit = b.unit(name=UNIT_NAME, code="INJ")
    head = b.user(Role.UNIT_HEAD, unit_obj=unit)
    office = b.user(Role.OFFICE)
    names = FORMULAS + SCRIPTS
    positions = list(reversed(FORMULAS)) + ["Chuyên viên", "Kỹ\x07sư"]  # \x07: stored before
    listed = _dossier(db_.campaign(), unit, "accepted", NomineeStatus.PROPOSED, names, positions)
    decided_campaign = db_.campaign()
    decided = _dossier(decided_campaign, unit, "decided", NomineeStatus.APPROVED, names, positions)
    from dossier.decisions import operations as dec_ops

    decision = dec_ops.draft(office, decided_campaign)
    db.session.commit()
    return {
        "unit": unit,
        "head": head,
        "office": office,
        "listed": listed,
        "decided": decided,
        "decision": decision,
        "names": names,
        "positions": positions,
    }


def _cells(data: bytes):
    wb = load_workbook(BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def _assert_texts(data: bytes, expected: list[str]) -> None:
    cells = _cells(data)
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a formula cell"
    by_value = {}
    for c in cells:
        by_value.setdefault(c.value, []).append(c)
    for text in expected:
        assert text in by_value, f"{text!r} is not in the workbook as typed"
        for c in by_value[text]:
            assert c.data_type == "s", (text, c.coordinate, c.data_type)
            assert c.quotePrefix == text.startswith(FORMULA_TRIGGERS), (text, c.coordinate)


def test_consolidated_xlsx_holds_injections_as_text(typed, as_user):
    client = as_user(typed["office"])
    resp = client.get(f"/tiep-nhan/{typed['listed'].campaign_id}/danh-sach.xlsx")
    assert resp.status_code == 200
    # The stored \x07 is shown as U+FFFD; the export does not fail.
    positions = [p.replace("\x07", REPLACEMENT) for p in typed["positions"]]
    _assert_texts(resp.data, typed["names"] + positions + [UNIT_NAME])
    assert "Kỹ\ufffdsư" in {c.value for c in _cells(resp.data)}


def test_upward_zip_list_holds_injections_as_text(typed):
    from dossier.intake import rules
    from dossier.intake.export import to_xlsx

    cons = rules.build(typed["listed"].campaign)
    data = to_xlsx(cons, agency_name="=Sở", version=None)
    _assert_texts(data, typed["names"] + ["=SỞ"])  # the banner prints it in capitals
    wb = load_workbook(BytesIO(data))
    assert wb.properties.creator == "=Sở"


def test_templates_hold_injections_as_text(typed, as_user):
    d = typed["listed"]
    form = d.campaign.award_forms[0]
    form.name = "=cmd|' /C calc'!A0"
    db.session.commit()
    nominee_template = as_user(typed["head"]).get(f"/ho-so/{d.id}/mau-danh-sach.xlsx")
    assert nominee_template.status_code == 200
    _assert_texts(nominee_template.data, [UNIT_NAME, "=cmd|' /C calc'!A0"])
    history_template = as_user(typed["office"]).get("/lich-su/mau.xlsx")
    assert history_template.status_code == 200
    _assert_texts(history_template.data, [UNIT_NAME, "=cmd|' /C calc'!A0"])


def _pdf_text(data: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return "".join(out.stdout.decode().split())


def _docx_text(data: bytes) -> str:
    doc = Document(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "".join("".join(parts).split())


def test_script_names_print_literally_in_pdf_and_docx(typed, as_user):
    office = as_user(typed["office"])
    head = as_user(typed["head"])
    listed, decision = typed["listed"], typed["decision"]
    documents = {
        "tờ trình": _pdf_text(head.get(f"/ho-so/{listed.id}/to-trinh.pdf").data),
        "list": _pdf_text(office.get(f"/tiep-nhan/{listed.campaign_id}/danh-sach.pdf").data),
        "decision pdf": _pdf_text(office.get(f"/quyet-dinh/{decision.id}/pdf").data),
        "decision docx": _docx_text(office.get(f"/quyet-dinh/{decision.id}/docx").data),
    }
    for what, body in documents.items():
        for name in SCRIPTS + FORMULAS[:2]:
            assert "".join(name.split()) in body, (what, name)


# --- properties -------------------------------------------------------------------------

# No database: the functions every export goes through, and a form in a request context.
NO_DATABASE = pytest.mark.one_backend("neutral")


def _round_trip(value: str):
    wb = Workbook()
    set_text(wb.active["A1"], value)
    out = BytesIO()
    wb.save(out)
    cell = load_workbook(BytesIO(out.getvalue())).active["A1"]
    return cell


@NO_DATABASE
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=60))
def test_any_text_round_trips_as_a_string_cell(value):
    cell = _round_trip(value)
    assert cell.data_type == "s"
    expected = ILLEGAL_XML_RE.sub(REPLACEMENT, value)
    assert unescape_excel(cell.value) == expected
    assert cell.quotePrefix == expected.startswith(FORMULA_TRIGGERS)


@NO_DATABASE
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("=+-@\t\r\n_x0D5F7A Bé"), max_size=20))
def test_formula_like_and_escape_like_text_round_trips(value):
    stored = excel_text(value)
    assert unescape_excel(stored) == ILLEGAL_XML_RE.sub(REPLACEMENT, value)
    if value:
        cell = _round_trip(value)
        assert cell.data_type == "s" and unescape_excel(cell.value) == value


@NO_DATABASE
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.text(max_size=40), multiline=st.booleans())
def test_the_control_filter_accepts_exactly_clean_text(app, value, multiline):
    """Any text: a form either refuses it (exactly when it holds a control character) or
    keeps it, NFC and trimmed; and what it keeps exports back as text."""
    from wtforms import StringField, TextAreaField

    from dossier.forms import Form
    from dossier.params import BadInput
    from dossier.text import nfc

    class Probe(Form):
        field = TextAreaField("Nội dung") if multiline else StringField("Nội dung")

    controls = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]}
    if multiline:
        controls -= {"\t", "\n", "\r"}
    with app.test_request_context(method="POST", data={"field": value}):
        form = Probe(meta={"csrf": False})
        if controls & set(value):
            with pytest.raises(BadInput):
                form.validate()
            return
        assert form.validate()
        kept = form.field.data
    assert kept == nfc(value.replace("\r\n", "\n")) or kept == nfc(value)
    if kept:
        cell = _round_trip(kept)
        assert cell.data_type == "s" and unescape_excel(cell.value) == kept
