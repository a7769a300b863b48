"""A throwaway certificate authority for the digital-signature tests.

Everything is made here with ``cryptography``: a root CA, signing certificates issued by
it (Vietnamese in the distinguished names) and PKCS#12 bundles protected by a password,
plus a small Vietnamese PDF drawn with reportlab to sign. Keys are generated once per
test session; nothing touches the disk.

Validity windows are fixed dates so tests freeze ``dossier.timeutil`` at ``SIGNING_MOMENT``
instead of depending on today's date.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

PASSWORD = "Mật-khẩu-thử-2026"  # non-ASCII on purpose
SIGNER_CN = "Hồ Minh Long"
SIGNER_ORG = "Sở Khoa học và Công nghệ tỉnh Ninh Thuận"
ROOT_CN = "CA Thử nghiệm Sở KH&CN"

# Tests freeze the clock here: the valid certificate is in force, the expired one is not.
SIGNING_MOMENT = datetime(2026, 3, 16, 9, 30, tzinfo=VN_TZ)
VALID_FROM = datetime(2025, 7, 1, tzinfo=VN_TZ)
VALID_UNTIL = datetime(2028, 7, 1, tzinfo=VN_TZ)
# Expired at 17:00 on 05/01/2026, Vietnamese time.
EXPIRED_FROM = datetime(2024, 1, 5, 17, 0, tzinfo=VN_TZ)
EXPIRED_UNTIL = datetime(2026, 1, 5, 17, 0, tzinfo=VN_TZ)
FUTURE_FROM = datetime(2026, 6, 1, tzinfo=VN_TZ)


@dataclass(frozen=True)
class CA:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


@cache
def _key(label: str) -> rsa.RSAPrivateKey:
    """One RSA-2048 key per label per test session (key generation is the slow part)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(cn: str, org: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _key_usage(*, sign: bool, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign,
        key_encipherment=not sign and not ca,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@cache
def root_ca(label: str = "root") -> CA:
    key = _key(f"ca-{label}")
    name = _name(ROOT_CN if label == "root" else f"{ROOT_CN} ({label})", "Phòng thử nghiệm")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime(2020, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2040, 1, 1, tzinfo=UTC))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(sign=False, ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return CA(key, cert)


def issue(
    *,
    cn: str = SIGNER_CN,
    org: str = SIGNER_ORG,
    not_before: datetime = VALID_FROM,
    not_after: datetime = VALID_UNTIL,
    signing_usage: bool = True,
    ca: CA | None = None,
    key_label: str = "signer",
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    ca = ca or root_ca()
    key = _key(key_label)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, org))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before.astimezone(UTC))
        .not_valid_after(not_after.astimezone(UTC))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign=signing_usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), False
        )
        .sign(ca.key, hashes.SHA256())
    )
    return cert, key


def p12(
    cert: x509.Certificate,
    key: rsa.RSAPrivateKey,
    password: str | None = PASSWORD,
    *,
    ca: CA | None = None,
) -> bytes:
    """PKCS#12 with the key, the certificate and the CA certificate, as a CA hands it out."""
    enc = (
        serialization.BestAvailableEncryption(password.encode())
        if password
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        b"chu-ky-so", key, cert, [(ca or root_ca()).cert], enc
    )


@cache
def signer_p12() -> bytes:
    """A valid signing certificate for Hồ Minh Long, password PASSWORD."""
    return p12(*issue())


@cache
def expired_p12() -> bytes:
    """Same person, a certificate that expired at 17:00 on 05/01/2026."""
    return p12(*issue(not_before=EXPIRED_FROM, not_after=EXPIRED_UNTIL, key_label="expired"))


@cache
def not_yet_valid_p12() -> bytes:
    return p12(*issue(not_before=FUTURE_FROM, key_label="future"))


@cache
def encryption_only_p12() -> bytes:
    """A certificate whose key usage does not allow signing."""
    return p12(*issue(signing_usage=False, key_label="enc"))


@cache
def stranger_p12() -> bytes:
    """A valid signing certificate from another (untrusted) CA."""
    other = root_ca("other")
    return p12(*issue(cn="Người Lạ", ca=other, key_label="stranger"), ca=other)


MARKER = "So: 123/QD-SKHCN"  # ASCII, uncompressed: tests find and tamper with it


def make_pdf(pages: int = 1, *, title: str = "QUYẾT ĐỊNH") -> bytes:
    """A small decision-like PDF: Vietnamese text (embedded Liberation Serif) plus an ASCII marker
    line in Helvetica that stays readable in the raw, uncompressed content stream."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from dossier.documents.fonts import register_fonts

    font = register_fonts().regular
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=0, invariant=1)
    c.setTitle("Quyết định khen thưởng")
    for page in range(1, pages + 1):
        c.setFont("Helvetica", 11)
        c.drawString(72, 790, MARKER)
        c.setFont(font, 14)
        c.drawCentredString(A4[0] / 2, 740, title)
        c.setFont(font, 12)
        c.drawString(72, 710, "Về việc tặng danh hiệu Chiến sĩ thi đua cơ sở năm 2025")
        c.drawString(72, 690, "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH NINH THUẬN")
        y = 660
        for i in range(1, 26):
            c.drawString(72, y, f"Điều {i}. Tặng danh hiệu cho ông Nguyễn Văn Đức {page}-{i}.")
            y -= 22
        c.drawString(72, 80, f"Trang {page}/{pages}")
        c.showPage()
    c.save()
    return buf.getvalue()


__all__ = [
    "PASSWORD",
    "SIGNER_CN",
    "SIGNER_ORG",
    "SIGNING_MOMENT",
    "MARKER",
    "root_ca",
    "issue",
    "p12",
    "signer_p12",
    "expired_p12",
    "not_yet_valid_p12",
    "encryption_only_p12",
    "stranger_p12",
    "make_pdf",
]
