"""What the API returns and accepts (marshmallow): the OpenAPI document is generated from these."""

from __future__ import annotations

from flask_smorest.error_handler import ErrorSchema as Error  # noqa: F401
from marshmallow import Schema, ValidationError, fields, validate

from ..enums import FixComponent
from ..states import DossierState
from ..text import has_control_chars


def _clean_text(value: str) -> None:
    if has_control_chars(value):
        raise ValidationError("Văn bản có ký tự điều khiển không hợp lệ.")


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200))


class AwardFormOut(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    level = fields.String(required=True)
    subject = fields.String(required=True)
    is_title = fields.Boolean(required=True)


class CampaignOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    year = fields.Integer(required=True)
    kind = fields.String(required=True)
    cutoff_at = fields.AwareDateTime(allow_none=True, required=True)
    plan_reference = fields.String(allow_none=True)
    award_forms = fields.List(fields.Nested(AwardFormOut), required=True)


class UnitRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    code = fields.String(required=True)


class NomineeOut(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    name = fields.String(required=True)
    position = fields.String(allow_none=True)
    gender = fields.String(allow_none=True)
    staff_id = fields.Integer(allow_none=True)
    award_form = fields.String(required=True, attribute="award_form.code")
    status = fields.String(required=True)
    status_reason = fields.String(allow_none=True)


class DossierOut(Schema):
    id = fields.Integer(required=True)
    campaign_id = fields.Integer(required=True)
    unit = fields.Nested(UnitRef, required=True)
    seq = fields.Integer(required=True)
    state = fields.String(required=True)
    state_title = fields.String(required=True)
    version = fields.Integer(required=True)
    revision = fields.Integer(required=True)
    submitted_at = fields.AwareDateTime(allow_none=True, required=True)
    letter_number = fields.String(allow_none=True)


class DossierDetail(DossierOut):
    nominees = fields.List(fields.Nested(NomineeOut), required=True)


class DossierPage(Schema):
    items = fields.List(fields.Nested(DossierOut), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class DossierArgs(PageArgs):
    campaign_id = fields.Integer(validate=validate.Range(1, 2**31 - 1))
    state = fields.String(validate=validate.OneOf([s.value for s in DossierState]))


class FindingOut(Schema):
    level = fields.String(required=True)
    rule = fields.String(required=True)
    message = fields.String(required=True)
    source = fields.String(required=True)
    nominee_id = fields.Integer(allow_none=True)


class ListRowOut(Schema):
    nominee_id = fields.Integer(required=True)
    dossier_id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    position = fields.String(required=True)
    gender = fields.String(allow_none=True)
    unit_id = fields.Integer(required=True)
    unit_name = fields.String(required=True)
    form_code = fields.String(required=True)
    form_name = fields.String(required=True)
    form_level = fields.String(required=True)
    votes_for = fields.Integer(allow_none=True)
    votes_against = fields.Integer(allow_none=True)
    findings = fields.List(fields.Nested(FindingOut), required=True)


class ConsolidatedOut(Schema):
    campaign_id = fields.Integer(required=True)
    campaign_name = fields.String(required=True)
    year = fields.Integer(required=True)
    rows = fields.List(fields.Nested(ListRowOut), required=True)
    list_findings = fields.List(fields.Nested(FindingOut), required=True)


class DecisionAwardOut(Schema):
    name = fields.String(required=True)
    kind = fields.String(required=True)
    position = fields.String(required=True)
    unit = fields.String(required=True)
    unit_id = fields.Integer(allow_none=True)
    staff_id = fields.Integer(allow_none=True)
    form_code = fields.String(required=True)
    form_name = fields.String(required=True)


class DecisionOut(Schema):
    id = fields.Integer(required=True)
    campaign_id = fields.Integer(required=True)
    state = fields.String(required=True)
    year = fields.Integer(required=True)
    number = fields.Integer(required=True)
    symbol = fields.String(required=True, metadata={"example": "05/QĐ-SKHCN"})
    issued_on = fields.Date(required=True)
    subject = fields.String(required=True)
    signer_name = fields.String(allow_none=True)
    pdf_signed = fields.Boolean(required=True, metadata={"description": "PDF ký số (PAdES)"})
    corrects_id = fields.Integer(allow_none=True)
    pdf_url = fields.String(required=True)


class DecisionDetail(DecisionOut):
    awards = fields.List(fields.Nested(DecisionAwardOut), required=True)


class DecisionPage(Schema):
    items = fields.List(fields.Nested(DecisionOut), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class DecisionArgs(PageArgs):
    year = fields.Integer(validate=validate.Range(1900, 9999))


class AwardOut(Schema):
    id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    kind = fields.String(required=True)
    staff_id = fields.Integer(allow_none=True)
    unit_id = fields.Integer(allow_none=True)
    name = fields.String(required=True)
    birth_date = fields.Date(allow_none=True)
    award_code = fields.String(allow_none=True)
    award_name = fields.String(required=True)
    decision_number = fields.String(allow_none=True)
    decision_date = fields.Date(allow_none=True)
    issuer = fields.String(allow_none=True)
    counts_as_basis = fields.Boolean(required=True)
    source = fields.String(required=True)
    decision_id = fields.Integer(allow_none=True)
    revoked = fields.Boolean(required=True)
    revoked_reason = fields.String(allow_none=True)


class PersonOut(Schema):
    id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    position = fields.String(required=True)
    unit = fields.Nested(UnitRef, required=True)
    gender = fields.String(required=True)
    birth_date = fields.Date(allow_none=True)
    direct_worker = fields.Boolean(required=True)


class PersonHistory(Schema):
    person = fields.Nested(PersonOut, required=True)
    awards = fields.List(fields.Nested(AwardOut), required=True)


class UnitHistory(Schema):
    unit = fields.Nested(UnitRef, required=True)
    awards = fields.List(fields.Nested(AwardOut), required=True)


class StatArgs(Schema):
    dimension = fields.String(
        load_default="form", validate=validate.OneOf(["form", "unit", "year", "gender", "worker"])
    )
    year_from = fields.Integer(validate=validate.Range(1900, 9999))
    year_to = fields.Integer(validate=validate.Range(1900, 9999))
    unit_id = fields.Integer(validate=validate.Range(1, 2**31 - 1))
    form_code = fields.String(validate=validate.Length(max=20))
    kind = fields.String(validate=validate.OneOf(["individual", "collective"]))


class StatRow(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    count = fields.Integer(required=True)


class StatOut(Schema):
    dimension = fields.String(required=True)
    title = fields.String(required=True)
    rows = fields.List(fields.Nested(StatRow), required=True)
    total = fields.Integer(required=True)


class UnitProgressOut(Schema):
    unit_id = fields.Integer(required=True)
    unit_name = fields.String(required=True)
    state = fields.String(required=True)
    state_title = fields.String(required=True)
    submitted_at = fields.AwareDateTime(allow_none=True)
    cutoff = fields.AwareDateTime(allow_none=True)
    on_time = fields.Boolean(allow_none=True)
    overdue = fields.Boolean(required=True)
    errors = fields.Integer(required=True)
    warnings = fields.Integer(required=True)


class ProgressOut(Schema):
    campaign_id = fields.Integer(required=True)
    campaign_name = fields.String(required=True)
    units = fields.List(fields.Nested(UnitProgressOut), required=True)


class FixItemIn(Schema):
    nominee_id = fields.Integer(allow_none=True, validate=validate.Range(1, 2**31 - 1))
    component = fields.String(
        required=True, validate=validate.OneOf([c.value for c in FixComponent])
    )
    reason = fields.String(required=True, validate=[validate.Length(min=1, max=2000), _clean_text])


class ActIn(Schema):
    version = fields.Integer(validate=validate.Range(1, 2**31 - 1))
    comment = fields.String(validate=[validate.Length(max=2000), _clean_text])
    fix_items = fields.List(fields.Nested(FixItemIn), validate=validate.Length(max=200))


class ActOut(Schema):
    object_type = fields.String(required=True)
    id = fields.Integer(required=True)
    state = fields.String(required=True)
    state_title = fields.String(required=True)
    version = fields.Integer(required=True)


class TokenOut(Schema):
    name = fields.String(required=True)
    scopes = fields.List(fields.String(), required=True)
    expires_at = fields.AwareDateTime(required=True)


class MeOut(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    unit_ids = fields.List(fields.Integer(), required=True)
    token = fields.Nested(TokenOut, required=True)
