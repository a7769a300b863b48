"""List pages draw their rows cheaply and exactly as before (issue 17): rows read as plain
columns (no ORM object made per row), row links from one url_for, dossier state badges and
the intake findings drawn in Python instead of a macro or include per row. Each helper is
compared with what the template it replaced drew."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from itertools import product
from types import SimpleNamespace

from flask import render_template_string, url_for
from sqlalchemy import event

from dossier.campaigns.models import Extension
from dossier.decisions import operations as decision_ops
from dossier.enums import Role
from dossier.extensions import db
from dossier.history import demo as history_demo
from dossier.history.html import award_html
from dossier.history.models import AwardRecord
from dossier.intake.listing import Finding
from dossier.nominations.models import Dossier
from dossier.org.models import Unit
from dossier.states import DossierState
from dossier.template_helpers import (
    STATE_BADGES,
    STATE_TITLES,
    findings_html,
    page_assets,
    page_url,
    url_template,
)
from dossier.timeutil import now
from tests import builders as b
from tests import dossier_builders as db_
from tests.decision_builders import approved, people
from tests.intake_builders import submitted
from tests.test_request_overhead import statements

# What templates/_macros.html's state_badge macro and templates/intake/_findings.html drew
# before (copied from the commit before issue 17's change), the reference for the helpers.
OLD_BADGE = """{% macro state_badge(state) -%}
<span class="badge bg-{{ state_badges.get(state, 'secondary') }} state-badge" data-state="{{ state }}">{{ state_titles.get(state, state) }}</span>
{%- endmacro %}{{ state_badge(s) }}"""  # noqa: E501
OLD_FINDINGS = """{%- for f in findings -%}
<div class="small {{ 'text-danger' if f.level == 'error' else 'text-warning-emphasis' }}" data-rule="{{ f.rule }}">
  <strong>{{ "Lỗi" if f.level == "error" else "Cảnh báo" }}:</strong> {{ f.message }} <span class="text-muted fst-italic">({{ f.source }})</span></div>
{%- endfor -%}"""  # noqa: E501

OLD_AWARD = """{% macro award(r) -%}
<span data-testid="award" data-record="{{ r.id }}"
      class="{% if r.revoked %}text-muted{% endif %}">
  {% if r.revoked %}<del>{% endif %}<strong>{{ r.award_name }}</strong>{% if r.decision_number or r.decision_date %}
  <span class="small">— Quyết định{% if r.decision_number %} số {{ r.decision_number }}{% endif %}{% if r.decision_date %} ngày {{ r.decision_date|short_date }}{% endif %}{% if r.issuer %} của {{ r.issuer }}{% endif %}</span>
  {%- elif r.issuer %} <span class="small">— {{ r.issuer }}</span>{% endif %}{% if r.revoked %}</del>{% endif %}
  {% if not r.award_code %}<span class="badge text-bg-light border" title="Hình thức không có trong danh mục hiện hành, lưu theo hồ sơ lưu trữ">ngoài danh mục</span>{% endif %}
  {% if not r.counts_as_basis %}<span class="badge text-bg-info" data-testid="one-off">Đột xuất/chuyên đề – không dùng làm căn cứ</span>{% endif %}
  {% if r.revoked %}<span class="badge text-bg-danger" data-testid="revoked">Đã thu hồi</span>
  <div class="small text-danger">Thu hồi ngày {{ r.revoked_at|short_date }}. Lý do: {{ r.revoked_reason }}</div>{% endif %}
</span>
{%- endmacro %}{{ award(r) }}"""  # noqa: E501


def test_state_badge_draws_what_the_macro_drew(app):
    with app.test_request_context("/"):
        for state in [*DossierState, "khong-co", '<b a="1">&']:
            old = render_template_string(
                OLD_BADGE, s=state, state_badges=STATE_BADGES, state_titles=STATE_TITLES
            )
            assert render_template_string("{{ state_badge(s) }}", s=state) == old, state


def test_findings_html_draws_what_the_include_drew(app):
    findings = [
        Finding("error", "duplicate", 'Trùng tên "Lê <An>" & đơn vị', "Điều 5 <NĐ>", 1),
        Finding("warning", "quota", "Vượt tỷ lệ 15%", "Khoản 2 Điều 2", None),
    ]
    with app.test_request_context("/"):
        for case in (findings, findings[:1], [], None):
            old = render_template_string(OLD_FINDINGS, findings=case or [])
            assert str(findings_html(case)) == old
            include = '{% include "intake/_findings.html" %}'
            assert render_template_string(include, findings=case or []) == old


def test_award_html_draws_what_the_macro_drew(app):
    """Every combination of the fields the macro tested, with text that needs escaping."""
    moments = [None, datetime(2024, 3, 5, 18, 30, tzinfo=UTC)]
    old_tpl = app.jinja_env.from_string(OLD_AWARD)
    new_tpl = app.jinja_env.from_string(
        '{% from "history/_record.html" import award with context %}{{ award(r) }}'
    )
    with app.test_request_context("/"):
        for number, day, issuer, code, basis, revoked_at in product(
            [None, "", "12/QĐ-<UB>"], [None, date(2024, 1, 9)], [None, "", "UBND & tỉnh"],
            [None, "", "LDTT"], [True, False], moments,
        ):  # fmt: skip
            r = SimpleNamespace(
                id=7, award_name='Bằng khen "<Tỉnh>"', decision_number=number,
                decision_date=day, issuer=issuer, award_code=code, counts_as_basis=basis,
                revoked_at=revoked_at, revoked=revoked_at is not None,  # as the model
                revoked_reason="Sai <sót>" if revoked_at else None,
            )  # fmt: skip
            old = old_tpl.render(r=r)
            assert str(award_html(r)) == old, r
            assert new_tpl.render(r=r) == old


def test_url_template_builds_what_url_for_builds(app):
    ids = [0, 1, 9, 42, 1357924680, 2_147_483_647, 98_765_432_101]
    for base in ("http://localhost/", "http://localhost/tdkt/", "https://so.gov.vn/a%20b/"):
        with app.test_request_context("/", base_url=base):
            show = url_template("nominations.show", "dossier_id")
            version = url_template("intake.version", "number", campaign_id=7)
            for i in ids:
                assert show(i) == url_for("nominations.show", dossier_id=i), (base, i)
                assert version(i) == url_for("intake.version", campaign_id=7, number=i)
            assert show(5).startswith(url_for("home.index").rstrip("/"))
            # A page number in the query string, beside other arguments typed by the user
            # (one holding the marker's digits: url_for builds each URL then).
            for q in ("a b&c=đ", "1357924680", ""):
                args = {"q": q, "trang-thai": "", "sap-xep": "unit"}
                pages = url_template("intake.index", "trang", trang=1, **args, campaign_id=3)
                last = url_template("intake.index", "trang", **args, campaign_id=3)
                for i in (1, 2, 40):
                    assert pages(i) == url_for("intake.index", trang=i, **args, campaign_id=3)
                    assert last(i) == url_for("intake.index", **args, campaign_id=3, trang=i)
            # Not an int: url_for itself answers.
            for odd in ("12", True):
                assert show(odd) == url_for("nominations.show", dossier_id=odd)


def _untimed(html: str) -> str:
    """The page without its CSRF token (signed with the second it was made)."""
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token"', html)


@contextmanager
def loaded(*models):
    """How many ORM objects of each model the block made from rows."""
    counts = {m: 0 for m in models}
    listeners = []
    for model in models:

        def on_load(target, context, model=model):
            counts[model] += 1

        event.listen(model, "load", on_load)
        listeners.append((model, on_load))
    try:
        yield counts
    finally:
        for model, fn in listeners:
            event.remove(model, "load", fn)


def test_list_pages_make_no_orm_object_per_row(app, as_user):
    campaign = db_.campaign(days_left=5)
    dossiers = [submitted(campaign, [(name, "LDTT")])[0] for name in ("Ngô Thị Yến", "Lê Bình")]
    history_demo.bulk_history(30)
    office = as_user(b.user(Role.OFFICE))
    intake, ids = f"/tiep-nhan/{campaign.id}", [d.id for d in dossiers]
    db.session.expunge_all()  # what the pages load, they load themselves
    pages = ("/ho-so/", intake, "/lich-su/")
    first = {url: office.get(url).get_data(as_text=True) for url in pages}
    with loaded(Dossier, Unit, AwardRecord) as made:
        again = {url: office.get(url).get_data(as_text=True) for url in pages}
    assert made == {Dossier: 0, Unit: 0, AwardRecord: 0}
    assert {u: _untimed(h) for u, h in again.items()} == {u: _untimed(h) for u, h in first.items()}
    for i in ids:
        assert f'href="/ho-so/{i}"' in first["/ho-so/"] and f'href="/ho-so/{i}"' in first[intake]
    assert first["/lich-su/"].count('data-testid="award"') == 30


def test_the_history_rows_show_unit_revocation_and_links(app, as_user):
    unit = b.unit(name="Phòng Quản lý Khoa học", code="QLKH")
    person = b.staff(unit, "Nguyễn Văn Đức")
    rec = AwardRecord(
        year=2024, kind="individual", staff_id=person.id, unit_id=unit.id, name="Nguyễn Văn Đức",
        name_folded="nguyen van duc", award_name="Lao động tiên tiến", source="import",
    )  # fmt: skip
    loose = AwardRecord(
        year=2023, kind="collective", name="Tổ <Kỹ thuật>", name_folded="to ky thuat",
        award_name="Tập thể lao động tiên tiến", source="import", counts_as_basis=False,
    )  # fmt: skip
    db.session.add_all([rec, loose])
    db.session.flush()
    rec.revoked_at, rec.revoked_reason = now() - timedelta(days=1), "Quyết định thu hồi"
    db.session.flush()
    html = as_user(b.user(Role.OFFICE)).get("/lich-su/").get_data(as_text=True)
    row = html.split(f'data-record="{rec.id}"')[0].rsplit("<tr>", 1)[1]
    assert f'href="/lich-su/ca-nhan/{person.id}"' in row
    assert f'href="/lich-su/don-vi/{unit.id}">Phòng Quản lý Khoa học</a>' in row
    assert 'data-testid="revoked"' in html.split(f'data-record="{rec.id}"')[1].split("</tr>")[0]
    other = html.split(f'data-record="{loose.id}"')[0].rsplit("<tr>", 1)[1]
    assert "Tổ &lt;Kỹ thuật&gt;" in other and "/lich-su/don-vi/" not in other
    assert 'data-testid="one-off"' in html.split(f'data-record="{loose.id}"')[1]


def test_cutoff_lookup_agrees_with_cutoff_for(app):
    campaign = db_.campaign(days_left=10)
    units = [b.unit(name=f"Đơn vị {i}") for i in range(4)]
    office = b.user(Role.OFFICE)
    for unit, days in ((units[0], 5), (units[1], -3)):  # later, and one not later
        db.session.add(
            Extension(
                campaign_id=campaign.id,
                unit_id=unit.id,
                until=campaign.cutoff_at + timedelta(days=days),
                reason="Đi công tác",
                granted_by_id=office.id,
            )
        )
    db.session.flush()
    db.session.expire(campaign, ["extensions"])
    lookup = campaign.cutoff_lookup()
    assert lookup(units[0].id) == campaign.cutoff_at + timedelta(days=5)
    for unit in units:
        assert lookup(unit.id) == campaign.cutoff_for(unit.id)
    loaded = campaign.cutoff_lookup()  # the relationship is loaded now: read from it
    assert [loaded(u.id) for u in units] == [lookup(u.id) for u in units]
    campaign.cutoff_at = None
    assert campaign.cutoff_lookup()(units[0].id) is None is campaign.cutoff_for(units[0].id)


def test_page_url_and_assets_follow_the_host_and_prefix(app):
    """The base page's links and files, kept per host and prefix: each request gets what
    url_for (and Flask-Bootstrap) would give it there; a file not there is not kept."""
    bootstrap = app.extensions["bootstrap"]
    sites = ["http://localhost/", "http://localhost/tdkt/", "https://so.gov.vn:8443/a%20b/"]
    for _ in range(2):  # the second round reads what the first kept
        for base in sites:
            with app.test_request_context("/", base_url=base):
                for endpoint, values in (
                    ("home.index", {}),
                    ("history.unit", {"unit_id": 12}),
                    ("help.show", {"slug": "van-phong"}),
                    ("static", {"filename": "app.css"}),
                ):
                    assert page_url(endpoint, **values) == url_for(endpoint, **values)
                assert page_assets("css", bootstrap.load_css) == bootstrap.load_css()
                assert page_assets("js", bootstrap.load_js) == bootstrap.load_js()
                missing = page_url("static", filename="khong-co.css")
                assert missing == url_for("static", filename="khong-co.css")
    kept = app.extensions["page_urls"]
    assert not [k for k in kept if "khong-co.css" in str(k)]
    assert len({k[:5] for k in kept}) == len(sites)


def test_the_decisions_list_counts_awards_in_one_statement(app, as_user):
    office, _, _ = people()
    c, _, _ = approved(6, codes=("LDTT", "GK_CN"))
    drafts = [decision_ops.draft(office, c, form_codes={"LDTT"}), decision_ops.draft(office, c)]
    expected = {d.id: len(d.awards) for d in drafts}
    page = as_user(office)
    page.get("/quyet-dinh/")
    with statements() as sent:
        html = page.get("/quyet-dinh/").get_data(as_text=True)
    for decision_id, n in expected.items():
        item = html.split(f'href="/quyet-dinh/{decision_id}"')[1].split("</a>")[0]
        assert f"({n} tập thể, cá nhân)" in item
    # One statement reads the awards, for every decision listed (a query each before).
    assert len([s for s in sent if s.startswith("SELECT decision_award.")]) == 1, sent
