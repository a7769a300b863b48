"""PAdES signing and verification of decisions, against a throwaway test CA (tests/pki.py)."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from dossier import timeutil
from dossier.decisions.signing import (
    MSG_CHANGED,
    MSG_NOT_PDF,
    MSG_UNSIGNED,
    load_signer,
    load_trust_roots,
    sign_pdf,
    verify_pdf,
)
from dossier.errors import DomainError

from . import pki

PDFTOTEXT = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) absent")

REASON = "Ký ban hành Quyết định khen thưởng"
LOCATION = "Phan Rang – Tháp Chàm, Ninh Thuận"


@pytest.fixture(autouse=True)
def frozen_clock():
    timeutil.freeze(pki.SIGNING_MOMENT)
    yield
    timeutil.freeze(None)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return pki.make_pdf(2)


@pytest.fixture(scope="module")
def signed(pdf) -> bytes:
    timeutil.freeze(pki.SIGNING_MOMENT)
    try:
        signer = load_signer(pki.signer_p12(), pki.PASSWORD)
        return sign_pdf(pdf, signer, reason=REASON, location=LOCATION, signer_name=pki.SIGNER_CN)
    finally:
        timeutil.freeze(None)


def roots() -> list[bytes]:
    return [pki.root_ca().der]


def pdftotext(data: bytes, tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


# ----------------------------------------------------------------------------- load_signer


def test_load_signer_reads_vietnamese_subject():
    info = load_signer(pki.signer_p12(), pki.PASSWORD)
    assert info.common_name == "Hồ Minh Long"
    assert info.organization == "Sở Khoa học và Công nghệ tỉnh Ninh Thuận"
    assert info.issuer == pki.ROOT_CN
    assert info.not_before == pki.VALID_FROM.astimezone(info.not_before.tzinfo)
    assert info.not_after == pki.VALID_UNTIL.astimezone(info.not_after.tzinfo)
    assert info.serial and info.fingerprint_sha256.count(":") == 31
    assert "hiệu lực từ 01/07/2025 đến 01/07/2028" in info.describe_vi()
    assert "signer" not in repr(info)  # the key object never ends up in logs


def test_wrong_password_is_refused_in_vietnamese():
    with pytest.raises(DomainError) as err:
        load_signer(pki.signer_p12(), "mat-khau-sai")
    assert err.value.message == "Mật khẩu chứng thư số không đúng."


def test_expired_certificate_is_refused_with_its_date():
    with pytest.raises(DomainError) as err:
        load_signer(pki.expired_p12(), pki.PASSWORD)
    assert err.value.message.startswith("Chứng thư số đã hết hạn ngày 05/01/2026")


def test_certificate_not_yet_valid_is_refused():
    with pytest.raises(DomainError) as err:
        load_signer(pki.not_yet_valid_p12(), pki.PASSWORD)
    assert "chưa có hiệu lực" in err.value.message
    assert "01/06/2026" in err.value.message


def test_certificate_without_signing_key_usage_is_refused():
    with pytest.raises(DomainError) as err:
        load_signer(pki.encryption_only_p12(), pki.PASSWORD)
    assert "không được cấp cho mục đích ký số" in err.value.message


@pytest.mark.parametrize(
    "data", [b"", b"not a pkcs12 file", pki.make_pdf()], ids=["empty", "garbage", "a-pdf"]
)
def test_unreadable_bundle_is_refused(data):
    with pytest.raises(DomainError) as err:
        load_signer(data, pki.PASSWORD)
    assert "chứng thư số" in err.value.message


def test_bundle_without_password_opens_with_empty_password():
    cert, key = pki.issue()
    info = load_signer(pki.p12(cert, key, password=None), "")
    assert info.common_name == pki.SIGNER_CN


def test_signing_is_refused_once_the_certificate_has_expired(pdf):
    """Loaded while valid (settings page), used after expiry (issuing): refused, and the
    caller's bytes are untouched."""
    signer = load_signer(pki.signer_p12(), pki.PASSWORD)
    original = bytes(pdf)
    timeutil.freeze(datetime(2028, 7, 2, tzinfo=pki.VN_TZ))
    with pytest.raises(DomainError) as err:
        sign_pdf(pdf, signer, reason=REASON, location=LOCATION, signer_name=pki.SIGNER_CN)
    assert err.value.message.startswith("Chứng thư số đã hết hạn ngày 01/07/2028")
    assert pdf == original


def test_signing_garbage_is_refused():
    signer = load_signer(pki.signer_p12(), pki.PASSWORD)
    with pytest.raises(DomainError) as err:
        sign_pdf(b"hello", signer, reason=REASON, location=LOCATION, signer_name="x")
    assert err.value.message == MSG_NOT_PDF


# ----------------------------------------------------------------------------- sign + verify


def test_signed_pdf_is_an_incremental_update(pdf, signed):
    assert signed.startswith(pdf)
    assert signed.count(b"%%EOF") == pdf.count(b"%%EOF") + 1
    assert b"/ETSI.CAdES.detached" in signed


@needs_poppler
def test_signed_pdf_reads_the_same_in_pdftotext(pdf, signed, tmp_path):
    before = pdftotext(pdf, tmp_path, "before.pdf")
    after = pdftotext(signed, tmp_path, "after.pdf")
    assert after == before
    assert "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH NINH THUẬN" in after


def test_verify_signed_pdf(signed):
    v = verify_pdf(signed, roots())
    assert v.signed and v.intact and v.covers_whole_file and v.ok
    assert v.trusted is True
    assert v.signer_name == "Hồ Minh Long"
    assert v.signing_time == pki.SIGNING_MOMENT
    assert v.signing_time.tzinfo is not None
    assert v.summary_vi == (
        "Văn bản được ký số bởi Hồ Minh Long (Sở Khoa học và Công nghệ tỉnh Ninh Thuận), "
        "lúc 09:30 ngày 16 tháng 3 năm 2026; nội dung không bị thay đổi kể từ khi ký."
    )
    assert any("thuộc danh sách tổ chức chứng thực tin cậy" in d for d in v.details_vi)
    [sig] = v.signatures
    assert sig.field_name == "ChuKySo" and sig.issuer == pki.ROOT_CN


def test_verify_without_roots_does_not_judge_trust(signed):
    v = verify_pdf(signed)
    assert v.signed and v.intact and v.covers_whole_file
    assert v.trusted is None
    assert any("chưa cấu hình chứng thư gốc tin cậy" in d for d in v.details_vi)


def test_verify_accepts_pem_roots(signed):
    assert verify_pdf(signed, [pki.root_ca().pem]).trusted is True


def test_verify_with_another_root_is_untrusted(signed):
    v = verify_pdf(signed, [pki.root_ca("other").der])
    assert v.intact and v.covers_whole_file
    assert v.trusted is False and not v.ok
    assert "không thuộc tổ chức chứng thực tin cậy" in v.summary_vi


def test_signer_from_an_untrusted_ca(pdf):
    signer = load_signer(pki.stranger_p12(), pki.PASSWORD)
    out = sign_pdf(pdf, signer, reason=REASON, location=LOCATION, signer_name="Người Lạ")
    v = verify_pdf(out, roots())
    assert v.signer_name == "Người Lạ" and v.intact and v.trusted is False


def test_certificate_expired_after_signing_is_judged_at_signing_time(signed):
    timeutil.freeze(datetime(2029, 1, 1, tzinfo=pki.VN_TZ))
    v = verify_pdf(signed, roots())
    assert v.intact and v.covers_whole_file and v.trusted is True
    assert any("đã hết hạn ngày 01/07/2028, sau thời điểm ký" in d for d in v.details_vi)


def test_second_signature_is_a_harmless_update(signed):
    """A counter-signature (e.g. the clerk's) after the director's keeps both valid."""
    timeutil.freeze(datetime(2026, 3, 16, 10, 0, tzinfo=pki.VN_TZ))
    signer = load_signer(pki.signer_p12(), pki.PASSWORD)
    twice = sign_pdf(
        signed, signer, reason="Văn thư đóng dấu", location=LOCATION, signer_name="Văn thư"
    )
    v = verify_pdf(twice, roots())
    assert [s.field_name for s in v.signatures] == ["ChuKySo", "ChuKySo2"]
    assert v.intact and v.covers_whole_file and v.trusted is True
    assert v.signing_time == pki.SIGNING_MOMENT  # the first signature's
    assert "lúc 09:30" in v.summary_vi and "lúc 10:00" in v.summary_vi


# ----------------------------------------------------------------------------- tampering


def test_flipped_byte_inside_signed_range_is_detected(signed):
    old = pki.MARKER.encode()
    assert signed.count(old) == 2  # one per page, both inside the first signed range
    tampered = signed.replace(old, old.replace(b"123", b"923"), 1)
    assert len(tampered) == len(signed)
    v = verify_pdf(tampered, roots())
    assert v.signed and not v.intact and not v.ok
    assert v.signer_name == "Hồ Minh Long"
    assert v.summary_vi.startswith(MSG_CHANGED)


def _append_page_change(signed: bytes) -> bytes:
    """An incremental update (pyHanko's writer) that rewrites page 1's decision number."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    page_ref, _ = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    old = page["/Contents"]
    data = old.data.replace(b"123/QD", b"999/QD")
    assert data != old.data
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=data))
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_appended_update_changing_page_text_is_detected(signed, tmp_path):
    tampered = _append_page_change(signed)
    assert tampered.startswith(signed)
    if PDFTOTEXT:
        assert "So: 999/QD-SKHCN" in pdftotext(tampered, tmp_path, "tampered.pdf")
    v = verify_pdf(tampered, roots())
    assert v.signed
    assert v.intact  # the signed bytes themselves are unchanged ...
    assert not v.covers_whole_file and not v.ok  # ... but something was added after
    assert v.summary_vi.startswith(MSG_CHANGED)
    assert "sau khi Hồ Minh Long ký" in v.summary_vi


def test_raw_appended_revision_is_detected(signed):
    """A hand-written incremental update: a new content stream for page 1."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    page_ref, _ = writer.find_page_for_modification(0)
    page_num = page_ref.idnum
    page = page_ref.get_object()
    prev_xref = signed.rsplit(b"startxref", 1)[1].split()[0].decode()
    size = int(writer.prev.trailer["/Size"])
    root_ref = writer.prev.trailer.raw_get("/Root")
    content = b"BT /F1 11 Tf 72 790 Td (So: 999/QD-SKHCN) Tj ET"
    page_dict = io.BytesIO()
    page.write_to_stream(page_dict)
    page_src = page_dict.getvalue()
    contents_ref = page.raw_get("/Contents")
    page_src = page_src.replace(
        f"/Contents {contents_ref.idnum} {contents_ref.generation} R".encode(),
        f"/Contents {size} 0 R".encode(),
    )
    assert f"/Contents {size} 0 R".encode() in page_src
    body = bytearray(b"\n")
    offsets = {}
    offsets[size] = len(signed) + len(body)
    body += b"%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
        size,
        len(content),
        content,
    )
    offsets[page_num] = len(signed) + len(body)
    body += b"%d 0 obj\n%s\nendobj\n" % (page_num, page_src)
    xref_at = len(signed) + len(body)
    body += b"xref\n"
    for num in sorted(offsets):
        body += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
    body += (
        f"trailer\n<< /Size {size + 1} /Root {root_ref.idnum} {root_ref.generation} R "
        f"/Prev {prev_xref} >>\nstartxref\n{xref_at}\n%%EOF\n"
    ).encode()
    tampered = signed + bytes(body)
    v = verify_pdf(tampered, roots())
    assert v.signed and v.intact
    assert not v.covers_whole_file and not v.ok
    assert v.summary_vi.startswith(MSG_CHANGED)


def test_truncated_signed_pdf_never_raises(signed):
    v = verify_pdf(signed[: len(signed) - 200], roots())
    assert not v.ok


# ----------------------------------------------------------------------------- bad uploads


def test_unsigned_pdf(pdf):
    v = verify_pdf(pdf, roots())
    assert v.signed is False and not v.ok
    assert v.summary_vi == MSG_UNSIGNED == "Văn bản không có chữ ký số."


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\xff garbage" * 50, "ảnh.png".encode(), b"%PDF-1.7\n this is not really a pdf"],
    ids=["empty", "binary", "text", "fake-header"],
)
def test_not_a_pdf(data):
    v = verify_pdf(data, roots())
    assert v.signed is False
    assert v.summary_vi == "Tệp không phải PDF hợp lệ."


def test_load_trust_roots_splits_a_pem_bundle():
    bundle = pki.root_ca().pem + pki.root_ca("other").pem
    assert load_trust_roots(bundle) == [pki.root_ca().der, pki.root_ca("other").der]
    assert load_trust_roots(pki.root_ca().der) == [pki.root_ca().der]
    with pytest.raises(DomainError):
        load_trust_roots(b"not a certificate")


def test_corrupted_signature_blob_is_reported_as_broken(signed):
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    tampered = signed[:start] + b"0000" + signed[start + 4 :]
    v = verify_pdf(tampered, roots())
    assert v.signed is True and not v.ok
    assert v.summary_vi == "Tệp có chữ ký số nhưng chữ ký bị hỏng, không kiểm tra được."


def test_password_protected_pdf():
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="mo-tep")
    c.drawString(72, 720, "Bi mat")
    c.showPage()
    c.save()
    data = buf.getvalue()
    v = verify_pdf(data, roots())
    assert v.signed is False and "mật khẩu" in v.summary_vi
    signer = load_signer(pki.signer_p12(), pki.PASSWORD)
    with pytest.raises(DomainError) as err:
        sign_pdf(data, signer, reason=REASON, location=LOCATION, signer_name="x")
    assert "mật khẩu" in err.value.message


def test_verify_flags_a_certificate_not_meant_for_signing():
    """Signed elsewhere with an encryption-only certificate (load_signer would refuse it)."""
    from dataclasses import replace

    from asn1crypto import keys as asn1_keys
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign.signers import SimpleSigner

    from dossier.decisions.signing import _asn1_cert

    key, cert, _ = pkcs12.load_key_and_certificates(
        pki.encryption_only_p12(), pki.PASSWORD.encode()
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    good = load_signer(pki.signer_p12(), pki.PASSWORD)
    raw = SimpleSigner(
        signing_cert=_asn1_cert(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=good.signer.cert_registry,
    )
    out = sign_pdf(
        pki.make_pdf(), replace(good, signer=raw), reason=REASON, location=LOCATION, signer_name="x"
    )
    v = verify_pdf(out, roots())
    assert v.intact and v.trusted is False
    assert "không được cấp cho mục đích ký số" in v.summary_vi
