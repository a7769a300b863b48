"""The messages and helpers that signing (signing.py) and verifying (verify.py) share,
so that neither has to import the other."""

from __future__ import annotations

import unicodedata

from cryptography import x509

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


def _nfc(value: x509.Name | str) -> str:
    text = value.rfc4514_string() if isinstance(value, x509.Name) else value
    return unicodedata.normalize("NFC", text)
