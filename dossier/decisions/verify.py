"""Verifying a signed decision: who signed it, and whether it changed since.

Never raises on what a user uploads: a non-PDF, an unsigned or a damaged file each get a
plain Vietnamese answer (see signing.py for loading certificates and signing).
"""

from __future__ import annotations

import io
import logging
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.ades.report import AdESIndeterminate, AdESSubIndic
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.diff_analysis.policy_api import DiffResult
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .. import timeutil
from ..errors import DomainError
from .signing_words import (
    _PYHANKO_SIGNING_USAGES,
    MSG_BAD_ROOTS,
    MSG_BROKEN,
    MSG_CHANGED,
    MSG_ENCRYPTED,
    MSG_NOT_PDF,
    MSG_UNSIGNED,
    _nfc,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignatureReport:
    """One embedded signature, as judged by ``verify_pdf``."""

    field_name: str
    signer_name: str | None  # certificate CN
    organization: str | None
    issuer: str | None
    signing_time: datetime | None  # claimed by the signer (no time-stamp authority)
    intact: bool  # the signed byte ranges hash to what was signed, signature is sound
    covers_whole_file: bool  # nothing, or only further signatures/LTV data, appended
    trusted: bool | None  # chains to the given roots; None when none were given
    trust_problem: str | None = None  # Vietnamese, when trusted is False
    note: str | None = None  # Vietnamese, e.g. certificate expired after signing
    readable: bool = True  # False: the signature itself is malformed or unsupported


@dataclass(frozen=True)
class Verification:
    signed: bool
    signer_name: str | None = None  # CN of the first signature's certificate
    signing_time: datetime | None = None  # aware; claimed by the signer
    intact: bool = False  # every signature's signed bytes are unchanged
    covers_whole_file: bool = False  # nothing but harmless updates after signing
    trusted: bool | None = None  # every signer chains to the roots; None: not checked
    summary_vi: str = MSG_UNSIGNED
    details_vi: list[str] = field(default_factory=list)  # extra lines for the page
    signatures: list[SignatureReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Signed, unchanged since, and not distrusted."""
        return self.signed and self.intact and self.covers_whole_file and self.trusted is not False


def load_trust_roots(data: bytes) -> list[bytes]:
    """Split a .cer/.crt/.pem upload (DER, or one or more PEM blocks) into DER certificates.

    For the settings page: raises ``DomainError`` when nothing usable is inside.
    """
    try:
        if asn1_pem.detect(data):
            ders = [
                der
                for kind, _hdr, der in asn1_pem.unarmor(data, multiple=True)
                if kind == "CERTIFICATE"
            ]
        else:
            ders = [data]
        for der in ders:
            asn1_x509.Certificate.load(der).native  # noqa: B018  forces a full parse
    except Exception as err:
        raise DomainError(MSG_BAD_ROOTS) from err
    if not ders:
        raise DomainError(MSG_BAD_ROOTS)
    return ders


def verify_pdf(pdf: bytes, trust_roots: list[bytes] | None = None) -> Verification:
    """Check every signature of an uploaded PDF. Never raises on a malformed upload.

    ``trust_roots``: DER or PEM certificates (a PEM bundle is fine) of the certification
    authorities the department trusts; None or empty leaves ``trusted`` at None. Roots
    that cannot be read raise ``DomainError`` (a configuration fault, not the upload's):
    check them when the administrator saves them, with ``load_trust_roots``.
    """
    roots = _trust_anchors(trust_roots)
    if not isinstance(pdf, bytes | bytearray) or b"%PDF-" not in bytes(pdf[:1024]):
        return Verification(signed=False, summary_vi=MSG_NOT_PDF)
    try:
        reader = PdfFileReader(io.BytesIO(bytes(pdf)), strict=False)
        encrypted = reader.encrypted
    except Exception as err:
        log.info("unreadable PDF uploaded for verification: %r", err)
        return Verification(signed=False, summary_vi=MSG_NOT_PDF)
    if encrypted:
        return Verification(signed=False, summary_vi=MSG_ENCRYPTED)
    try:
        embedded = reader.embedded_signatures
    except Exception as err:
        log.info("signatures of an uploaded PDF could not be read: %r", err)
        if _has_filled_sig_field(reader):
            return Verification(signed=True, summary_vi=MSG_BROKEN)
        return Verification(signed=False, summary_vi=MSG_NOT_PDF)
    if not embedded:
        return Verification(signed=False, summary_vi=MSG_UNSIGNED)

    sig_fields = {emb.field_name for emb in embedded}
    return _summarise(
        [_check_safely(emb, roots, sig_fields) for emb in embedded], roots is not None
    )


def _check_safely(emb, roots, sig_fields: set[str]) -> SignatureReport:
    try:
        return _check_one(emb, roots, sig_fields)
    except Exception as err:  # e.g. no signer certificate inside the CMS blob
        log.info("signature %s could not be read: %r", emb.field_name, err)
        return SignatureReport(
            emb.field_name,
            None,
            None,
            None,
            None,
            intact=False,
            covers_whole_file=False,
            trusted=None if roots is None else False,
            readable=False,
        )


def _trust_anchors(trust_roots: list[bytes] | None) -> list[asn1_x509.Certificate] | None:
    if not trust_roots:  # none configured: the chain is not judged (trusted=None)
        return None
    anchors = []
    for blob in trust_roots:
        for der in load_trust_roots(blob):
            anchors.append(asn1_x509.Certificate.load(der))
    return anchors


def _has_filled_sig_field(reader: PdfFileReader) -> bool:
    try:
        return any(True for _ in fields.enumerate_sig_fields(reader, filled_status=True))
    except Exception:
        return False


def _check_one(emb, roots, sig_fields: set[str]) -> SignatureReport:
    cert = emb.signer_cert
    name = _asn1_attr(cert.subject, "common_name")
    org = _asn1_attr(cert.subject, "organization_name")
    issuer = _asn1_attr(cert.issuer, "common_name") or _nfc(cert.issuer.human_friendly)
    claimed = emb.self_reported_timestamp
    # Without configured roots the signer's own certificate is the anchor: that checks the
    # cryptography and the modifications without pretending to judge the chain (and keeps
    # pyHanko from logging a path-building failure for every upload).
    anchors = roots if roots is not None else [cert]
    context = ValidationContext(
        trust_roots=anchors,
        allow_fetching=False,  # closed network: no CRL/OCSP fetching
        moment=timeutil.now(),
    )
    usage = KeyUsageConstraints(key_usage=_PYHANKO_SIGNING_USAGES, match_all_key_usages=False)
    try:
        status: PdfSignatureStatus = validate_pdf_signature(emb, context, key_usage_settings=usage)
    except Exception as err:
        log.info("signature %s could not be validated: %r", emb.field_name, err)
        return SignatureReport(
            emb.field_name,
            name,
            org,
            issuer,
            _aware(claimed),
            intact=False,
            covers_whole_file=False,
            trusted=None if roots is None else False,
            readable=False,
        )
    intact = bool(status.intact and status.valid)
    whole = _covers_whole_file(status, own=emb.field_name, sig_fields=sig_fields)
    trusted: bool | None = None
    problem = note = None
    if roots is not None:
        trusted = bool(status.trusted)
        if not trusted and _expired_since(status, claimed):
            # No time-stamp authority exists here, so a certificate that expired after the
            # (claimed) signing time is judged at that time, and the page says so.
            trusted = _trusted_at(emb, anchors, claimed, usage)
            if trusted:
                expiry = timeutil.short_date(status.signing_cert.not_valid_after)
                note = (
                    f"Chứng thư số của {name or 'người ký'} đã hết hạn ngày {expiry}, "
                    "sau thời điểm ký ghi trong văn bản; chữ ký được kiểm tra tại "
                    "thời điểm ký đó."
                )
        if not trusted:
            problem = _trust_problem_vi(status.trust_problem_indic, issuer)
    return SignatureReport(
        emb.field_name,
        name,
        org,
        issuer,
        _aware(claimed),
        intact=intact,
        covers_whole_file=whole,
        trusted=trusted,
        trust_problem=problem,
        note=note,
    )


_EXPIRY = {
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    AdESIndeterminate.EXPIRED,
}


def _expired_since(status: PdfSignatureStatus, claimed: datetime | None) -> bool:
    if claimed is None or status.trust_problem_indic not in _EXPIRY:
        return False
    cert = status.signing_cert
    return cert.not_valid_before <= _aware(claimed) <= cert.not_valid_after < timeutil.now()


def _trusted_at(emb, anchors, moment: datetime, usage: KeyUsageConstraints) -> bool:
    context = ValidationContext(trust_roots=anchors, allow_fetching=False, moment=_aware(moment))
    try:
        status = validate_pdf_signature(emb, context, key_usage_settings=usage, skip_diff=True)
    except Exception:
        return False
    return bool(status.trusted)


def _covers_whole_file(status: PdfSignatureStatus, *, own: str, sig_fields: set[str]) -> bool:
    """Whole file, or only updates that cannot change what a reader sees: validation data
    (DSS, document time stamps) and the filling of *other signature fields*. Form filling
    of text fields and annotations could alter or cover the text, so they count as changes.
    """
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION or not status.docmdp_ok:
        return False
    diff = status.diff_result
    if not isinstance(diff, DiffResult):
        return False
    level = diff.modification_level
    if level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES):
        return True
    if level == ModificationLevel.FORM_FILLING:
        return diff.changed_form_fields <= (sig_fields - {own})
    return False


def _trust_problem_vi(indic: AdESSubIndic | None, issuer: str | None) -> str:
    by = f" (do {issuer} cấp)" if issuer else ""
    if indic == AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        return f"chứng thư số của người ký{by} không thuộc tổ chức chứng thực tin cậy đã cấu hình"
    if indic in (
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
        AdESIndeterminate.EXPIRED,
    ):
        return f"chứng thư số của người ký{by} đã hết hạn"
    if indic == AdESIndeterminate.NOT_YET_VALID:
        return f"chứng thư số của người ký{by} chưa có hiệu lực tại thời điểm kiểm tra"
    if indic in (AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE):
        return f"chứng thư số của người ký{by} đã bị thu hồi"
    if indic == AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE:
        return f"chứng thư số của người ký{by} không được cấp cho mục đích ký số"
    return f"không xác minh được chứng thư số của người ký{by}"


def _summarise(reports: list[SignatureReport], roots_given: bool) -> Verification:
    first = reports[0]
    intact = all(r.intact for r in reports)
    whole = all(r.covers_whole_file for r in reports)
    trusted = all(r.trusted for r in reports) if roots_given else None
    details: list[str] = []
    if not all(r.readable for r in reports):
        summary = MSG_BROKEN
    elif not intact:
        broken = [r for r in reports if not r.intact]
        summary = (
            MSG_CHANGED
            + " "
            + (f"Chữ ký của {_names(broken)} không khớp với nội dung hiện tại của tệp.")
        )
    elif not whole:
        late = [r for r in reports if not r.covers_whole_file]
        summary = (
            MSG_CHANGED + " " + (f"Tệp có phần sửa đổi được thêm vào sau khi {_names(late)} ký.")
        )
    else:
        signed_by = ", và ".join(_who_when(r) for r in reports)
        summary = f"Văn bản được ký số bởi {signed_by}; nội dung không bị thay đổi kể từ khi ký."
    if trusted is True:
        issuers = sorted({r.issuer for r in reports if r.issuer})
        details.append(
            "Chứng thư số của người ký do "
            + ", ".join(issuers)
            + " cấp, thuộc danh sách tổ chức chứng thực tin cậy."
        )
    elif trusted is False and summary != MSG_BROKEN:
        problems = sorted({r.trust_problem for r in reports if r.trust_problem})
        sentence = "; ".join(problems) if problems else "không xác minh được chứng thư số"
        summary += f" Tuy nhiên, {sentence}."
    else:
        details.append(
            "Chưa kiểm tra nguồn gốc chứng thư số vì chưa cấu hình chứng thư gốc tin cậy."
        )
    details.extend(r.note for r in reports if r.note)
    if any(r.signing_time for r in reports):
        details.append("Thời điểm ký do máy của người ký ghi lại (văn bản không có dấu thời gian).")
    return Verification(
        signed=True,
        signer_name=first.signer_name,
        signing_time=first.signing_time,
        intact=intact,
        covers_whole_file=whole,
        trusted=trusted,
        summary_vi=summary,
        details_vi=details,
        signatures=reports,
    )


def _names(reports: list[SignatureReport]) -> str:
    names = [r.signer_name or "người ký" for r in reports]
    return ", ".join(dict.fromkeys(names))


def _who_when(report: SignatureReport) -> str:
    who = report.signer_name or "người ký không rõ tên"
    if report.organization:
        who += f" ({report.organization})"
    if report.signing_time:
        who += f", lúc {timeutil.vn_datetime(report.signing_time)}"
    return who


def _asn1_attr(name: asn1_x509.Name, key: str) -> str | None:
    value = name.native.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    return unicodedata.normalize("NFC", str(value)) if value else None


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
