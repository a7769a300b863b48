"""Digital signatures on issued decisions: PAdES with pyHanko, bytes in, bytes out.

Three pure functions, no Flask request context and no storage: the caller passes the
bytes and the configuration.

- ``load_signer``: open the administrator's PKCS#12 (.p12/.pfx) and refuse, in Vietnamese,
  a wrong password, an unreadable file, a certificate not (yet / any more) in force or one
  not issued for signing. Validity is checked against ``timeutil.now()``.
- ``sign_pdf``: one invisible PAdES baseline B-B signature, added as an incremental
  update (the original bytes stay untouched at the head of the result). There is no
  time-stamping authority on this network, so the signing time is the one the server
  claims, written into the signature dictionary (/M).
- ``verify_pdf``: who signed, when (as claimed), whether the signed bytes are intact,
  whether anything was appended after signing and whether the certificate chains to the
  configured trust roots. It never raises on a bad upload.

pyHanko drives its work through ``asyncio.run``: call these from ordinary (sync) code,
not from inside a running event loop.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime

from asn1crypto import keys as asn1_keys
from asn1crypto import pem as asn1_pem
from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)
from cryptography.x509.oid import ExtensionOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.ades.report import AdESIndeterminate, AdESSubIndic
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.diff_analysis.policy_api import DiffResult
from pyhanko.sign.signers.pdf_signer import PdfSigner
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .. import timeutil
from ..errors import DomainError

log = logging.getLogger(__name__)

FIELD_NAME = "ChuKySo"

MSG_NO_FILE = "Chưa chọn tệp chứng thư số (.p12 hoặc .pfx)."
MSG_UNREADABLE = (
    "Tệp tải lên không phải chứng thư số PKCS#12 (.p12 hoặc .pfx) hợp lệ. "
    "Hãy xuất lại chứng thư số kèm khóa bí mật từ thiết bị hoặc phần mềm của nhà cung cấp."
)
MSG_WRONG_PASSWORD = "Mật khẩu chứng thư số không đúng."
MSG_NO_KEY = (
    "Tệp chứng thư số không chứa khóa bí mật nên không dùng để ký được. "
    "Hãy xuất lại tệp .p12/.pfx có kèm khóa bí mật."
)
MSG_NO_SIGNING_USAGE = (
    "Chứng thư số này không được cấp cho mục đích ký số "
    "(thiếu mục đích sử dụng digitalSignature/nonRepudiation)."
)
MSG_NOT_PDF = "Tệp không phải PDF hợp lệ."
MSG_ENCRYPTED = "Tệp PDF được bảo vệ bằng mật khẩu nên không kiểm tra được chữ ký số."
MSG_ENCRYPTED_SIGN = "Không ký được tệp PDF được bảo vệ bằng mật khẩu."
MSG_UNSIGNED = "Văn bản không có chữ ký số."
MSG_CHANGED = "Chữ ký không còn hợp lệ: nội dung đã bị thay đổi sau khi ký."
MSG_BROKEN = "Tệp có chữ ký số nhưng chữ ký bị hỏng, không kiểm tra được."
MSG_SIGN_FAILED = "Không ký số được văn bản. Tệp gốc được giữ nguyên."
MSG_BAD_ROOTS = "Tệp chứng thư gốc tin cậy không đọc được (cần tệp .cer/.crt/.pem)."

# Key usages that allow signing documents (cryptography's name for nonRepudiation is
# content_commitment; pyHanko's is non_repudiation).
_PYHANKO_SIGNING_USAGES = {"digital_signature", "non_repudiation"}


# --------------------------------------------------------------------------- signer


@dataclass(frozen=True)
class SignerInfo:
    """The administrator's signing certificate, opened and checked."""

    common_name: str
    organization: str | None
    subject: str  # the whole subject DN, RFC 4514, NFC
    issuer: str  # the issuing CA's common name (or its DN when it has none)
    not_before: datetime  # aware, UTC
    not_after: datetime  # aware, UTC
    serial: str  # hex, upper case, as CA portals print it
    fingerprint_sha256: str  # hex, upper case, colon separated
    signer: signers.SimpleSigner = field(repr=False, compare=False)

    def describe_vi(self) -> str:
        """One line for the settings page."""
        who = self.common_name + (f" ({self.organization})" if self.organization else "")
        return (
            f"{who}; do {self.issuer} cấp; số hiệu {self.serial}; hiệu lực từ "
            f"{timeutil.short_date(self.not_before)} đến {timeutil.short_date(self.not_after)}."
        )


def load_signer(p12_bytes: bytes, password: str) -> SignerInfo:
    """Open a PKCS#12 bundle; raise ``DomainError`` (Vietnamese) if it cannot sign now."""
    if not p12_bytes:
        raise DomainError(MSG_NO_FILE)
    if not _looks_like_pkcs12(p12_bytes):
        raise DomainError(MSG_UNREADABLE)
    key, cert, extra = _open_pkcs12(p12_bytes, password or "")
    if cert is None:
        raise DomainError(MSG_UNREADABLE)
    if key is None:
        raise DomainError(MSG_NO_KEY)
    _check_signing_usage(cert)
    info_times = (cert.not_valid_before_utc, cert.not_valid_after_utc)
    _check_in_force(*info_times)
    try:
        signer = signers.SimpleSigner(
            signing_cert=_asn1_cert(cert),
            signing_key=asn1_keys.PrivateKeyInfo.load(
                key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
            ),
            # The CA certificates shipped in the bundle go into the signature, so that a
            # verifier holding only the root can build the chain.
            cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in extra]),
        )
    except Exception as err:  # unsupported key type and the like
        log.warning("pyHanko could not use the PKCS#12 key: %r", err)
        raise DomainError(MSG_UNREADABLE) from err
    return SignerInfo(
        common_name=_name_attr(cert.subject, NameOID.COMMON_NAME) or _nfc(cert.subject),
        organization=_name_attr(cert.subject, NameOID.ORGANIZATION_NAME),
        subject=_nfc(cert.subject),
        issuer=_name_attr(cert.issuer, NameOID.COMMON_NAME) or _nfc(cert.issuer),
        not_before=info_times[0],
        not_after=info_times[1],
        serial=f"{cert.serial_number:X}",
        fingerprint_sha256=cert.fingerprint(hashes.SHA256()).hex(":").upper(),
        signer=signer,
    )


def _looks_like_pkcs12(data: bytes) -> bool:
    """True if the bytes parse as a PKCS#12 PFX structure (password not needed)."""
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native in {
            "data",
            "signed_data",
        }
    except Exception:
        return False


def _open_pkcs12(data: bytes, password: str):
    """(key, certificate, other certificates). The structure is known to be PKCS#12, so a
    failure here is the password. An empty password may mean 'none' or 'empty string'."""
    candidates: list[bytes | None] = [password.encode("utf-8")]
    if not password:
        candidates.insert(0, None)
    for candidate in candidates:
        try:
            return pkcs12.load_key_and_certificates(data, candidate)
        except ValueError:
            continue
        except Exception as err:  # unsupported algorithm inside a well-formed PFX
            log.warning("PKCS#12 could not be opened: %r", err)
            raise DomainError(MSG_UNREADABLE) from err
    raise DomainError(MSG_WRONG_PASSWORD)


def _check_signing_usage(cert: x509.Certificate) -> None:
    """No KeyUsage extension means no restriction (RFC 5280); otherwise one of the two."""
    try:
        usage = cert.extensions.get_extension_for_oid(ExtensionOID.KEY_USAGE).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise DomainError(MSG_NO_SIGNING_USAGE)


def _check_in_force(not_before: datetime, not_after: datetime) -> None:
    moment = timeutil.now()
    if moment > not_after:
        local = timeutil.to_local(not_after)
        raise DomainError(
            f"Chứng thư số đã hết hạn ngày {local:%d/%m/%Y} (lúc {local:%H:%M}), không dùng "
            "để ký được nữa. Hãy gia hạn hoặc tải lên chứng thư số còn hiệu lực."
        )
    if moment < not_before:
        local = timeutil.to_local(not_before)
        raise DomainError(
            f"Chứng thư số chưa có hiệu lực: có hiệu lực từ ngày {local:%d/%m/%Y} "
            f"(lúc {local:%H:%M})."
        )


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def _nfc(value: x509.Name | str) -> str:
    text = value.rfc4514_string() if isinstance(value, x509.Name) else value
    return unicodedata.normalize("NFC", text)


def _name_attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    attrs = name.get_attributes_for_oid(oid)
    return _nfc(str(attrs[0].value)) if attrs else None


# --------------------------------------------------------------------------- signing


class _ClockedPdfSigner(PdfSigner):
    """A PdfSigner whose signing time comes from ``timeutil`` (tests freeze it) rather
    than the machine clock; pyHanko offers no public parameter for it."""

    def __init__(self, *args, system_time: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._system_time = system_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._system_time
        return session


def sign_pdf(
    pdf: bytes, signer: SignerInfo, *, reason: str, location: str, signer_name: str
) -> bytes:
    """The PDF with one more (invisible) PAdES B-B signature, appended incrementally.

    Raises ``DomainError`` if the certificate is no longer in force or the PDF cannot be
    signed; the input bytes are never modified.
    """
    _check_in_force(signer.not_before, signer.not_after)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as err:
        raise DomainError(MSG_NOT_PDF) from err
    if writer.prev.encrypted:
        raise DomainError(MSG_ENCRYPTED_SIGN)
    try:
        taken = {name for name, _value, _ref in fields.enumerate_sig_fields(writer.prev)}
    except Exception as err:
        raise DomainError(MSG_NOT_PDF) from err
    field_name = FIELD_NAME
    counter = 1
    while field_name in taken:
        counter += 1
        field_name = f"{FIELD_NAME}{counter}"
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=_nfc(reason) or None,
        location=_nfc(location) or None,
        name=_nfc(signer_name) or None,
    )
    pdf_signer = _ClockedPdfSigner(meta, signer.signer, system_time=timeutil.now())
    try:
        out = pdf_signer.sign_pdf(writer)
    except Exception as err:
        log.exception("PAdES signing failed")
        raise DomainError(MSG_SIGN_FAILED) from err
    return out.getvalue()


# --------------------------------------------------------------------------- verification


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
            ders = [der for kind, _hdr, der in asn1_pem.unarmor(data, multiple=True)
                    if kind == "CERTIFICATE"]
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
    return _summarise([_check_safely(emb, roots, sig_fields) for emb in embedded],
                      roots is not None)


def _check_safely(emb, roots, sig_fields: set[str]) -> SignatureReport:
    try:
        return _check_one(emb, roots, sig_fields)
    except Exception as err:  # e.g. no signer certificate inside the CMS blob
        log.info("signature %s could not be read: %r", emb.field_name, err)
        return SignatureReport(emb.field_name, None, None, None, None, intact=False,
                               covers_whole_file=False,
                               trusted=None if roots is None else False, readable=False)


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
        status: PdfSignatureStatus = validate_pdf_signature(
            emb, context, key_usage_settings=usage
        )
    except Exception as err:
        log.info("signature %s could not be validated: %r", emb.field_name, err)
        return SignatureReport(emb.field_name, name, org, issuer, _aware(claimed),
                               intact=False, covers_whole_file=False,
                               trusted=None if roots is None else False, readable=False)
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
                note = (f"Chứng thư số của {name or 'người ký'} đã hết hạn ngày {expiry}, "
                        "sau thời điểm ký ghi trong văn bản; chữ ký được kiểm tra tại "
                        "thời điểm ký đó.")
        if not trusted:
            problem = _trust_problem_vi(status.trust_problem_indic, issuer)
    return SignatureReport(emb.field_name, name, org, issuer, _aware(claimed),
                           intact=intact, covers_whole_file=whole, trusted=trusted,
                           trust_problem=problem, note=note)


_EXPIRY = {AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
           AdESIndeterminate.EXPIRED}


def _expired_since(status: PdfSignatureStatus, claimed: datetime | None) -> bool:
    if claimed is None or status.trust_problem_indic not in _EXPIRY:
        return False
    cert = status.signing_cert
    return cert.not_valid_before <= _aware(claimed) <= cert.not_valid_after < timeutil.now()


def _trusted_at(emb, anchors, moment: datetime, usage: KeyUsageConstraints) -> bool:
    context = ValidationContext(trust_roots=anchors, allow_fetching=False,
                                moment=_aware(moment))
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
    if indic in (AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
                 AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED, AdESIndeterminate.EXPIRED):
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
        summary = MSG_CHANGED + " " + (
            f"Chữ ký của {_names(broken)} không khớp với nội dung hiện tại của tệp."
        )
    elif not whole:
        late = [r for r in reports if not r.covers_whole_file]
        summary = MSG_CHANGED + " " + (
            f"Tệp có phần sửa đổi được thêm vào sau khi {_names(late)} ký."
        )
    else:
        signed_by = ", và ".join(_who_when(r) for r in reports)
        summary = (
            f"Văn bản được ký số bởi {signed_by}; nội dung không bị thay đổi kể từ khi ký."
        )
    if trusted is True:
        issuers = sorted({r.issuer for r in reports if r.issuer})
        details.append(
            "Chứng thư số của người ký do " + ", ".join(issuers)
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
        details.append(
            "Thời điểm ký do máy của người ký ghi lại (văn bản không có dấu thời gian)."
        )
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


__all__ = [
    "SignerInfo",
    "SignatureReport",
    "Verification",
    "load_signer",
    "load_trust_roots",
    "sign_pdf",
    "verify_pdf",
]
