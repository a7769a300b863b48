"""Short help on each page for the reader's roles (what to do, the deadline, whom to ask),
and each role's printable one-page guide."""

from __future__ import annotations

import pytest

from dossier.enums import Role
from dossier.help.content import GUIDES, PAGES, SLUGS
from dossier.text import nfc
from tests import builders as b
from tests import dossier_builders as db_
from tests.flow_builders import ready_dossier


def _help(html: str) -> str:
    start = html.index('data-testid="help"')
    return html[start : html.index("</details>", start)]


def test_every_text_is_vietnamese_nfc_and_every_role_has_a_guide():
    for page, by_role in PAGES.items():
        for role, text in by_role.items():
            assert text == nfc(text) and text.endswith("."), (page, role)
    assert set(GUIDES) == set(SLUGS) == set(Role)


def test_a_unit_head_gets_the_dossier_help_with_the_deadline_and_whom_to_ask(app, as_user):
    b.user(Role.OFFICE, username="vp_help")  # the Văn phòng's officer the unit may call
    d, head = ready_dossier(days_left=10)
    help_box = _help(as_user(head).get(f"/ho-so/{d.id}").get_data(as_text=True))
    assert PAGES["nominations.show"][Role.UNIT_HEAD] in help_box
    assert 'data-testid="help-deadline"' in help_box and "còn 9 ngày" in help_box
    assert "Văn phòng Sở" in help_box and "Hỏi ai" in help_box
    assert 'href="/huong-dan/thu-truong-don-vi"' in help_box


@pytest.mark.parametrize(
    ("role", "url", "page"),
    [
        (Role.OFFICE, "/ho-so/", "nominations.index"),
        (Role.DIRECTOR, "/quyet-dinh/", "decisions.index"),
        (Role.UNIT_CLERK, "/ho-so/", "nominations.index"),
        (Role.OFFICE, "/lich-su/", "history.index"),
        (Role.COUNCIL, "/", "home.index"),
    ],
)
def test_each_role_reads_its_own_help(app, as_user, role, url, page):
    db_.campaign()
    html = as_user(b.user(role)).get(url).get_data(as_text=True)
    box = _help(html)
    assert PAGES[page][role] in box
    others = [t for r, t in PAGES[page].items() if t != PAGES[page][role]]
    assert not any(t in box for t in others)
    assert f'href="/huong-dan/{SLUGS[role]}"' in box


def test_a_page_without_help_for_the_role_shows_none(app, as_user):
    html = as_user(b.user(Role.COUNCIL)).get("/ho-so/").get_data(as_text=True)
    assert 'data-testid="help"' not in html


def test_the_guides_print_on_one_page(app, as_user):
    c = db_.campaign(days_left=5)
    client = as_user(b.user(Role.UNIT_HEAD))
    index = client.get("/huong-dan/").get_data(as_text=True)
    assert all(f'href="/huong-dan/{slug}"' in index for slug in SLUGS.values())
    assert "vai trò của tôi" in index
    for role, slug in SLUGS.items():
        resp = client.get(f"/huong-dan/{slug}")
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200 and GUIDES[role]["steps"][0] in html
        assert "guide.css" in html and c.name in html
    assert client.get("/huong-dan/khong-co").status_code == 404
    css = client.get("/static/guide.css").get_data(as_text=True)
    assert "@media print" in css and "A4" in css
