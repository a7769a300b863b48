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
from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import keys as asn1_keys
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
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .. import timeutil
from ..errors import DomainError

log = logging.getLogger(__name__)

FIELD_NAME = "ChuKySo"

# The words both signing and verifying use (signing_words.py, imported by both).
from .signing_words import (  # noqa: E402,F401
    _PYHANKO_SIGNING_USAGES,
    MSG_BAD_ROOTS,
    MSG_BROKEN,
    MSG_CHANGED,
    MSG_ENCRYPTED,
    MSG_ENCRYPTED_SIGN,
    MSG_NO_FILE,
    MSG_NO_KEY,
    MSG_NO_SIGNING_USAGE,
    MSG_NOT_PDF,
    MSG_SIGN_FAILED,
    MSG_UNREADABLE,
    MSG_UNSIGNED,
    MSG_WRONG_PASSWORD,
    _nfc,
)

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


# Verification lives in verify.py; callers may import it from here too.
from .verify import SignatureReport, Verification, load_trust_roots, verify_pdf  # noqa: E402

__all__ = [
    "SignerInfo",
    "load_signer",
    "sign_pdf",
    "SignatureReport",
    "Verification",
    "load_trust_roots",
    "verify_pdf",
]
