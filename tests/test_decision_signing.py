"""The administrator installs a certificate; issued decisions are signed and verifiable."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select

from dossier import timeutil
from dossier.decisions import operations as ops
from dossier.decisions.models import Decision
from dossier.enums import Role
from dossier.errors import DomainError
from dossier.extensions import db
from tests import builders as b
from tests import pki
from tests.decision_builders import approved, people, sign_and_issue


def _install(client, p12: bytes, password: str):
    return client.post(
        "/quyet-dinh/chu-ky-so",
        {"what": "signer", "password": password, "p12": (io.BytesIO(p12), "chu-ky-so.p12")},
        page="/quyet-dinh/chu-ky-so",
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)


def test_wrong_password_or_expired_certificate_is_refused_and_nothing_changes(app, as_user):
    timeutil.freeze(pki.SIGNING_MOMENT)
    admin = as_user(b.user(Role.ADMIN))
    page = _install(admin, pki.signer_p12(), "sai mật khẩu")
    assert "Mật khẩu chứng thư số không đúng." in page
    assert "Chưa cài chứng thư số" in page
    page = _install(admin, pki.expired_p12(), pki.PASSWORD)
    assert "đã hết hạn ngày 05/01/2026" in page and "Chưa cài chứng thư số" in page


def test_issued_decision_is_signed_and_verifies_then_fails_when_altered(app, as_user):
    timeutil.freeze(pki.SIGNING_MOMENT)
    admin = as_user(b.user(Role.ADMIN))
    page = _install(admin, pki.signer_p12(), pki.PASSWORD)
    assert "Đã cài chứng thư số" in page and pki.SIGNER_CN in page
    admin.post(
        "/quyet-dinh/chu-ky-so",
        {"what": "roots", "roots": (io.BytesIO(pki.root_ca().pem), "goc.pem")},
        page="/quyet-dinh/chu-ky-so",
        content_type="multipart/form-data",
    )
    office, director, _ = people()
    c, *_ = approved(3)
    decision = ops.draft(office, c)
    sign_and_issue(director, decision)
    db.session.commit()
    assert decision.signed
    anyone = app.test_client()  # the verification page is public
    token = anyone.get("/quyet-dinh/kiem-tra").get_data(as_text=True)
    from tests.conftest import csrf_from

    def check(pdf: bytes) -> str:
        return anyone.post(
            "/quyet-dinh/kiem-tra",
            data={"csrf_token": csrf_from(token), "file": (io.BytesIO(pdf), "qd.pdf")},
            content_type="multipart/form-data",
        ).get_data(as_text=True)

    good = check(decision.pdf)
    assert pki.SIGNER_CN in good and "không bị thay đổi" in good
    altered = bytearray(decision.pdf)
    at = altered.index(b"/Contents", len(altered) // 3) - 40  # inside the signed bytes
    altered[at] = ord("X") if altered[at] != ord("X") else ord("Y")
    assert "không bị thay đổi" not in check(bytes(altered))
    assert "không phải PDF" in check(b"not a pdf at all")


def test_certificate_expiring_before_issue_refuses_and_takes_no_number(app, as_user):
    timeutil.freeze(pki.SIGNING_MOMENT)
    admin = as_user(b.user(Role.ADMIN))
    _install(admin, pki.signer_p12(), pki.PASSWORD)
    office, director, _ = people()
    c, *_ = approved(2)
    decision = ops.draft(office, c)
    db.session.commit()
    timeutil.freeze(pki.VALID_UNTIL + timedelta(days=1))
    try:
        sign_and_issue(director, decision)
        raise AssertionError("issued with an expired certificate")
    except DomainError as err:
        assert "hết hạn" in err.message
    db.session.rollback()
    assert (
        db.session.scalar(
            select(func.count()).select_from(Decision).where(Decision.state == "issued")
        )
        == 0
    )
