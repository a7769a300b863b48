"""Per-request overhead: the statements every page sends before and besides its own, and the
navigation badge that must not rebuild the whole to-do list on every page (issue 17)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from dossier.enums import Role
from dossier.extensions import db
from tests import builders as b
from tests import dossier_builders as db_
from tests.intake_builders import submitted

# What a signed-in page sends besides its own queries: the session with its user, their
# roles and delegations (one statement; four before), and the badge's key (audit head). The
# badge alone used to add 8-10 more (every provider of the to-do list), the help box's next
# cut-off one more (now kept under the badge's key).
OVERHEAD = 2
TASK_TABLES = ("council_meeting", "decision", "campaign_extension")


@contextmanager
def statements():
    sent: list[str] = []

    def on_execute(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK")):
            sent.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)


def _badge(html: str) -> str | None:
    marker = 'data-testid="task-count">'
    return html.split(marker, 1)[1].split("<", 1)[0] if marker in html else None


def test_a_list_page_sends_few_statements_and_the_badge_costs_one(app, as_user):
    campaign = db_.campaign(days_left=5)
    for name in ("Ngô Thị Yến", "Lê Văn Bình", "Trần Thị Cúc"):
        submitted(campaign, [(name, "LDTT")])
    office = as_user(b.user(Role.OFFICE))
    first = office.get("/ho-so/").get_data(as_text=True)
    with statements() as sent:
        again = office.get("/ho-so/").get_data(as_text=True)
    assert _badge(again) == _badge(first) and _badge(first) is not None
    # The dossier list's own queries: the page of dossiers, its count, nominees per
    # dossier, the campaigns and the units for the filters.
    assert len(sent) <= OVERHEAD + 5, "\n".join(sent)
    badge = [s for s in sent if "audit_head" in s]
    assert len(badge) == 1
    assert not [s for s in sent if any(f"FROM {t} " in s + " " for t in TASK_TABLES)]


def test_the_badge_follows_a_change(app, as_user):
    campaign = db_.campaign(days_left=5)
    submitted(campaign, [("Ngô Thị Yến", "LDTT")])
    office = as_user(b.user(Role.OFFICE))
    before = office.get("/ho-so/").get_data(as_text=True)
    assert office.get("/ho-so/").get_data(as_text=True).count("task-count") == 1
    other = db_.campaign(days_left=9, name="Đợt khen thưởng chuyên đề")
    submitted(other, [("Lê Văn Bình", "LDTT")])  # a second campaign with a dossier waiting
    after = office.get("/ho-so/").get_data(as_text=True)
    # Two tasks more: its dossier waiting, its units not submitted.
    assert int(_badge(after)) == int(_badge(before)) + 2
    home = office.get("/").get_data(as_text=True)
    assert home.count('class="list-group-item list-group-item-action') == int(_badge(after))


def test_the_badge_counts_what_the_home_page_lists(app, as_user):
    campaign = db_.campaign(days_left=5)
    submitted(campaign, [("Ngô Thị Yến", "LDTT")])
    office = as_user(b.user(Role.OFFICE))
    home = office.get("/").get_data(as_text=True)
    listed = home.count('class="list-group-item list-group-item-action')
    assert listed and _badge(office.get("/ho-so/").get_data(as_text=True)) == str(listed)


def test_the_home_page_reads_the_kept_list_until_something_changes(app, as_user):
    campaign = db_.campaign(days_left=5)
    submitted(campaign, [("Ngô Thị Yến", "LDTT")])
    office = as_user(b.user(Role.OFFICE))
    first = office.get("/").get_data(as_text=True)
    with statements() as sent:
        again = office.get("/").get_data(as_text=True)
    assert again.count("list-group-item-action") == first.count("list-group-item-action") > 0
    # No provider ran again: the list came from the cache, under the one key read.
    assert not [s for s in sent if any(f"FROM {t} " in s + " " for t in TASK_TABLES)], sent
    assert len(sent) <= OVERHEAD + 1, "\n".join(sent)
    other = db_.campaign(days_left=9, name="Đợt khen thưởng chuyên đề")
    submitted(other, [("Lê Văn Bình", "LDTT")])
    after = office.get("/").get_data(as_text=True)
    assert after.count("list-group-item-action") == first.count("list-group-item-action") + 2
    assert "Đợt khen thưởng chuyên đề" in after


def test_the_help_box_deadline_follows_a_new_campaign(app, as_user):
    """The next cut-off is kept between pages, and a new campaign closer in time shows at
    once (the kept value's key moves with every write)."""
    db_.campaign(days_left=20)
    office = as_user(b.user(Role.OFFICE))
    first = office.get("/ho-so/").get_data(as_text=True)
    assert "còn 19 ngày" in first or "còn 20 ngày" in first, first.split("help-deadline")[-1][:300]
    with statements() as sent:
        office.get("/ho-so/")
    assert not [s for s in sent if "campaign.cutoff_at >" in s], sent
    db_.campaign(days_left=4, name="Đợt gấp")
    after = office.get("/ho-so/").get_data(as_text=True).split('data-testid="help-deadline"')[1]
    assert "còn 3 ngày" in after[:400] or "còn 4 ngày" in after[:400], after[:400]
