"""Sign the issued PDF when the administrator configured a certificate; otherwise not."""

from __future__ import annotations


def sign_if_configured(pdf: bytes, *, signer_name: str) -> tuple[bytes, bool]:
    """(pdf, signed). Wired to dossier/decisions/signing.py once the certificate is set."""
    try:
        from .signing_store import configured_signer
    except ImportError:
        return pdf, False
    signer = configured_signer()
    if signer is None:
        return pdf, False
    from .signing import sign_pdf

    return sign_pdf(pdf, signer, reason="Ban hành quyết định khen thưởng",
                    location="", signer_name=signer_name), True
