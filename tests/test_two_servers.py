"""Two app servers that share nothing but PostgreSQL (issue 17).

Two Flask apps, each with its own engine, caches and upload folder, each served over real
HTTP by werkzeug's threaded server; one browser-like client (one cookie jar) alternates
between them on every request: sign-in on one, the form on the other; an upload on one, its
download on the other; the draft decision rendered on one and read back from the shared
document cache on the other. Sessions, CSRF, sign-in limits, uploads and cached documents
all live in the database (BLOB_STORE=database), so neither server's disk holds anything.

The council votes over HTTP too: the Văn phòng sends the list and prepares the meeting, the
chair opens the vote, each member casts a secret ballot (one request to one server, the
next member's to the other) and signs out, and the chair closes the vote, whose count
approves the nominees and moves the dossier on.
"""

from __future__ import annotations

import re
import threading
import urllib.parse
import urllib.request
import uuid
from datetime import date
from http.cookiejar import CookieJar
from itertools import cycle
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.serving import WSGIRequestHandler, make_server

from dossier import create_app
from dossier.blobs import Blob
from dossier.council import operations as cops
from dossier.council.models import Meeting
from dossier.decisions.models import Decision
from dossier.enums import AttachmentKind, NomineeStatus, Role
from dossier.extensions import db
from dossier.nominations.models import Attachment, Dossier
from dossier.org.models import UserSession
from tests import builders as b
from tests import council_builders as cb
from tests import dossier_builders as db_
from tests.conftest import PG_URL, _app_config
from tests.flow_builders import ready_dossier

pytestmark = [
    pytest.mark.real_db,
    pytest.mark.skipif(
        not PG_URL,
        reason="PostgreSQL only (TEST_DATABASE_URL): app servers on several machines share "
        "a database server; a SQLite file lives on one machine",
    ),
]

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One cookie jar; each request goes to the next server in turn."""

    def __init__(self, bases: list[str]) -> None:
        self.next_base = cycle(bases).__next__
        self.served_by: list[str] = []
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
        )

    def open(self, path: str, body: bytes | None = None, content_type: str | None = None):
        base = self.next_base()
        self.served_by.append(base)
        req = urllib.request.Request(base + path, data=body)
        if content_type:
            req.add_header("Content-Type", content_type)
        try:
            with self.opener.open(req, timeout=60) as resp:
                return resp.status, resp.read(), resp.headers
        except urllib.error.HTTPError as err:
            return err.code, err.read(), err.headers

    def get(self, path: str):
        return self.open(path)

    def token(self, page: str) -> str:
        status, body, _ = self.get(page)
        assert status == 200, (page, status)
        return CSRF_RE.search(body.decode()).group(1)

    def post(self, path: str, fields: dict, *, page: str, files: dict | None = None):
        fields = {"csrf_token": self.token(page), **fields}
        if not files:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            return self.open(path, body, "application/x-www-form-urlencoded")
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, data) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.open(path, b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def sign_in(self, username: str) -> None:
        status, _, headers = self.post(
            "/dang-nhap", {"username": username, "password": "secret123"}, page="/dang-nhap"
        )
        assert status == 302, status


@pytest.fixture
def servers(app, tmp_path):
    """Server A is the test's app; server B a second app on the same database."""
    app.config["BLOB_STORE"] = "database"
    config = {**_app_config(tmp_path / "b", app.config["SQLALCHEMY_DATABASE_URI"])}
    config.update(BLOB_STORE="database", UPLOAD_FOLDER=str(tmp_path / "b" / "uploads"))
    other = create_app(config)
    other.instance_path = str(tmp_path / "b" / "instance")
    running = []
    for each in (app, other):
        server = make_server("127.0.0.1", 0, each, threaded=True, request_handler=_Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        running.append(server)
    yield [f"http://127.0.0.1:{s.server_port}" for s in running], (app, other)
    for server in running:
        server.shutdown()
        server.server_close()
    with other.app_context():
        db.engine.dispose()


def _files_under(*roots: str) -> list[Path]:
    return [p for r in roots if Path(r).exists() for p in Path(r).rglob("*") if p.is_file()]


def test_a_dossier_from_upload_to_decision_across_two_servers(app, servers):
    bases, (a, other) = servers
    d, head = ready_dossier()
    office = b.user(Role.OFFICE, username="vanphong")
    director = b.user(Role.DIRECTOR, username="giamdoc")
    director.staff.position = "Giám đốc"
    clerk_name = b.user(Role.CLERK, username="vanthu").username
    dossier_id, campaign_id, head_name = d.id, d.campaign_id, head.username
    db.session.commit()

    def fresh(model, pk):
        db.session.expire_all()
        return db.session.get(model, pk)

    # The unit: signs in, uploads a scan, reads it back, submits.
    unit = Browser(bases)
    unit.sign_in(head_name)
    page = f"/ho-so/{dossier_id}"
    scan = db_.pdf_bytes("Biên bản họp xét thi đua")
    status, _, _ = unit.post(
        f"{page}/tep",
        {"version": fresh(Dossier, dossier_id).version, "kind": AttachmentKind.REPORT_SCAN.value},
        page=page,
        files={"file": ("Biên bản.pdf", scan)},
    )
    assert status == 302
    attachment = db.session.scalar(  # the one just uploaded (the builder added the scans)
        select(Attachment)
        .where(Attachment.dossier_id == dossier_id)
        .order_by(Attachment.id.desc())
        .limit(1)
    )
    status, body, _ = unit.get(f"/tep/{attachment.id}")
    assert status == 200 and body == scan
    status, _, _ = unit.post(
        f"{page}/thao-tac/submit", {"version": fresh(Dossier, dossier_id).version}, page=page
    )
    assert status == 302 and fresh(Dossier, dossier_id).state == "submitted"

    # The Văn phòng accepts it; it reads the unit's scan from the other server too.
    staff = Browser(bases[1:] + bases[:1])
    staff.sign_in(office.username)
    status, body, _ = staff.get(f"/tep/{attachment.id}")
    assert status == 200 and body == scan
    status, _, _ = staff.post(
        f"{page}/thao-tac/accept", {"version": fresh(Dossier, dossier_id).version}, page=page
    )
    assert status == 302 and fresh(Dossier, dossier_id).state == "accepted"

    # The council: the Văn phòng sends the list and prepares the meeting; the chair opens the
    # vote; each member votes on the server the previous one did not use, then signs out;
    # the chair closes the vote, and the count approves every nominee.
    chair, secretary, members = cb.council(fresh(Dossier, dossier_id).campaign.year, size=5)
    council = [chair, secretary, *members]
    nominee_ids = [n.id for n in fresh(Dossier, dossier_id).nominees]
    listing = f"/tiep-nhan/{campaign_id}/danh-sach"
    status, _, _ = staff.post(
        f"/tiep-nhan/{campaign_id}/gui-hoi-dong",
        {"letter_next": "1", "confirm_missing": "1"},
        page=listing,
    )
    assert status == 302 and fresh(Dossier, dossier_id).state == "council"
    status, _, _ = staff.post(
        "/hoi-dong/tao",
        {"campaign_id": campaign_id, "held_on": date.today().strftime("%d/%m/%Y"), "place": "P1"},
        page="/hoi-dong/",
    )
    assert status == 302
    meeting_id = db.session.scalar(select(Meeting.id).where(Meeting.campaign_id == campaign_id))
    meeting_page = f"/hoi-dong/{meeting_id}"
    status, _, _ = staff.post(
        f"{meeting_page}/co-mat",
        {"version": fresh(Meeting, meeting_id).version, "present": [u.id for u in council]},
        page=meeting_page,
    )
    assert status == 302
    chairing = Browser(bases)
    chairing.sign_in(chair.username)
    status, _, _ = chairing.post(
        f"{meeting_page}/thao-tac/open",
        {"version": fresh(Meeting, meeting_id).version},
        page=meeting_page,
    )
    assert status == 302 and fresh(Meeting, meeting_id).state == "open"
    voters = []
    for i, member in enumerate(council):
        voter = Browser(bases[i % 2 :] + bases[: i % 2])
        voter.sign_in(member.username)
        status, _, _ = voter.post(
            f"{meeting_page}/bo-phieu",
            {f"vote_{nid}": "agree" for nid in nominee_ids},
            page=meeting_page,
        )
        assert status == 302
        status, _, _ = voter.post("/dang-xuat", {}, page=meeting_page)
        assert status == 302
        voters.append(voter)
    db.session.expire_all()
    assert cops.progress(db.session.get(Meeting, meeting_id))["voters"] == len(council)
    status, _, _ = chairing.post(
        f"{meeting_page}/thao-tac/close",
        {"version": fresh(Meeting, meeting_id).version},
        page=meeting_page,
    )
    assert status == 302 and fresh(Meeting, meeting_id).state == "closed"
    status, _, _ = chairing.post("/dang-xuat", {}, page=meeting_page)
    assert status == 302
    d = fresh(Dossier, dossier_id)
    assert d.state == "decided"
    assert {n.status for n in d.nominees} == {NomineeStatus.APPROVED}

    # The draft decision: drafted on one server, its PDF rendered once and cached in the
    # database, read back from the other.
    status, _, _ = staff.post(
        "/quyet-dinh/du-thao", {"campaign_id": campaign_id}, page="/quyet-dinh/"
    )
    assert status == 302
    decision_id = db.session.scalar(select(Decision.id).where(Decision.campaign_id == campaign_id))
    first, again = (
        staff.get(f"/quyet-dinh/{decision_id}/pdf"),
        staff.get(f"/quyet-dinh/{decision_id}/pdf"),
    )
    assert first[0] == again[0] == 200 and first[1] == again[1]
    cached = select(func.count()).select_from(Blob).where(Blob.key.startswith("doc/"))
    assert db.session.scalar(cached) == 1

    # The Director signs it, the Văn thư numbers and issues it; the dossier is issued, on
    # whichever server asks.
    boss = Browser(bases)
    boss.sign_in(director.username)
    decision_page = f"/quyet-dinh/{decision_id}"
    status, _, _ = boss.post(
        f"{decision_page}/ky", {"version": fresh(Decision, decision_id).version}, page=decision_page
    )
    assert status == 302, status
    registry = Browser(bases)
    registry.sign_in(clerk_name)
    status, _, _ = registry.post(
        f"{decision_page}/ban-hanh",
        {"version": fresh(Decision, decision_id).version, "number": ""},
        page=decision_page,
    )
    assert status == 302, status
    assert fresh(Decision, decision_id).state == "issued"
    assert fresh(Dossier, dossier_id).state == "issued"
    status, body, _ = boss.get(f"{decision_page}/pdf")
    assert status == 200 and body.startswith(b"%PDF")

    # Every request alternated; four sessions (the council's signed out), all rows; no file
    # on either server's disk.
    for browser in (unit, staff, boss, registry, chairing, *voters):
        assert all(x != y for x, y in zip(browser.served_by, browser.served_by[1:], strict=False))
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 4
    assert _files_under(a.config["UPLOAD_FOLDER"], other.config["UPLOAD_FOLDER"]) == []
