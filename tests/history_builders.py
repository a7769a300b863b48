"""Helpers the award-history tests share: the history blueprint wired in (autouse), two
units with their people and an office account (`org`)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from dossier.campaigns.catalogue import ensure_default_forms
from dossier.enums import Role
from dossier.extensions import db
from dossier.history import views
from tests import builders as b


@pytest.fixture(autouse=True)
def wired(app):
    """Until dossier/__init__.py registers the blueprint."""
    if "history" not in app.blueprints:
        app.register_blueprint(views.bp)


@pytest.fixture
def org(app):
    ensure_default_forms()
    qlkh = b.unit(name="Phòng Quản lý Khoa học", code="QLKH")
    tdc = b.unit(name="Chi cục Tiêu chuẩn Đo lường Chất lượng", code="TDC")
    duc = b.staff(qlkh, "Nguyễn Văn Đức")
    duc.birth_date = date(1985, 3, 15)
    hoa = b.staff(tdc, "Trần Thị Hoa")
    office = b.user(Role.OFFICE)
    db.session.commit()
    return SimpleNamespace(qlkh=qlkh, tdc=tdc, duc=duc, hoa=hoa, office=office)


QLKH = "Phòng Quản lý Khoa học"
