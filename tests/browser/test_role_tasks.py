"""A new user, in Chromium, signs in as each demo role and sees the right tasks on
"Việc cần làm": the exact titles, details and counts the demo gives that role, nothing that
belongs to another role or unit, a navigation badge equal to the list's length, and task
links that open a real page. Read-only: the module's demo server is shared, nothing is POSTed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from dossier.council.models import Meeting
from dossier.decisions.models import Decision, DecisionAward
from dossier.extensions import db
from dossier.org.models import Unit
from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.one_backend("flows")]

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TL = r"còn \d+ (?:ngày \d+ giờ|giờ \d+ phút|phút)"  # timeutil.time_left, before the cut-off
UNITS = {
    "VP": "Văn phòng Sở",
    "TTRA": "Thanh tra Sở",
    "QLKH": "Phòng Quản lý Khoa học",
    "QLCN": "Phòng Quản lý Công nghệ",
    "KHTC": "Phòng Kế hoạch – Tài chính",
    "TDC": "Chi cục Tiêu chuẩn Đo lường Chất lượng",
    "TTUD": "Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ",
}
UNIT_OF = {
    "chanhvanphong": "VP",
    "truongphong.qlkh": "QLKH",
    "truongphong.qlcn": "QLCN",
    "truongphong.khtc": "KHTC",
    "chanhthanhtra": "TTRA",
    "chicuctruong": "TDC",
    "giamdoc.trungtam": "TTUD",
    "canbo.qlkh": "QLKH",
    "canbo.qlcn": "QLCN",
    "canbo.tdc": "TDC",
}
OFFICE = {"vanphong", "chanhvanphong", "phochanhvanphong"}
# The Chánh Văn phòng is on leave in the demo: the Phó stands in and holds their tasks.
STANDS_IN = {"phochanhvanphong": "chanhvanphong"}
# Council members (the demo's vote is not open) and the Văn thư (nothing signed to number yet).
NO_TASKS = ["phogiamdoc", "congdoan", "chidoan", "vanthu"]
LOGINS = ["quantri", "giamdoc", "vanphong", *UNIT_OF, *STANDS_IN, *NO_TASKS]


def _last_second(day: date) -> datetime:
    """ "Trước ngày 20/12" ends at 19/12 23:59:59, Vietnamese time (as the demo sets it)."""
    return datetime.combine(day - timedelta(days=1), time(23, 59, 59), VN)


def _cutoff_words(day: date) -> str:
    last = day - timedelta(days=1)
    return (
        f"trước ngày {day:%d/%m/%Y} (hạn cuối 23:59:59 ngày {last:%d} tháng {last.month} "
        f"năm {last.year}, giờ Việt Nam)"
    )


@pytest.fixture(scope="module")
def demo(live_server):
    """What the demo holds, derived as dossier/demo_dossiers.py and decisions/demo.py do."""
    _, app = live_server
    today = datetime.now(VN)
    year = today.year + (_last_second(date(today.year, 12, 20)) < today)
    with app.app_context():
        issued = db.session.scalar(select(Decision).where(Decision.state == "issued"))
        per_unit = dict(
            db.session.execute(
                select(Unit.code, func.count(DecisionAward.id))
                .join(Unit, DecisionAward.unit_id == Unit.id)
                .where(DecisionAward.decision_id == issued.id)
                .group_by(Unit.code)
            ).all()
        )
        draft = db.session.scalar(select(Decision).where(Decision.state == "draft"))
        facts = dict(
            year=year,
            last=today.year - 1,
            number=issued.number,
            per_unit=per_unit,
            draft_awards=len(draft.awards),
            held_on=db.session.scalar(select(Meeting.held_on)),
            thematic_open=_last_second(date(year, 12, 10)) > datetime.now(VN),
        )
        db.session.remove()
    return facts


def expected_tasks(username: str, d: dict) -> list[tuple[str, str, int | None, str]]:
    """(title, detail as a regex, count badge, heading of the page the task opens)."""
    yearly = f"Khen thưởng công tác năm {d['year']}"
    thematic = f"Phong trào thi đua cải cách hành chính năm {d['year']}"
    cut = {
        yearly: _cutoff_words(date(d["year"], 12, 20)),
        thematic: _cutoff_words(date(d["year"], 12, 10)),
    }
    out = []
    if username == "quantri":
        out += [
            (
                "Thông tin cơ quan",
                re.escape(
                    "Tên cơ quan, cơ quan chủ quản, địa danh, người ký: dùng cho mọi văn bản."
                ),
                None,
                "Thông tin cơ quan",
            ),
            (
                "Tài khoản và vai trò",
                "Cấp tài khoản, giao vai trò theo đơn vị và theo năm.",
                None,
                "Tài khoản và vai trò",
            ),
            (
                "Nhật ký hệ thống",
                "Kiểm tra tính toàn vẹn của nhật ký thao tác.",
                None,
                "Nhật ký thao tác",
            ),
        ]
    if username == "giamdoc":
        out += [
            (
                f"Mở biểu quyết: {thematic}",
                re.escape(f"Phiên họp {d['held_on']:%d/%m/%Y}, Phòng họp Sở, tầng 2."),
                None,
                f"Phiên họp Hội đồng: {thematic}",
            ),
            (
                "Ký quyết định",
                re.escape(
                    f"Về việc tặng Giấy khen của Giám đốc Sở năm {d['last']} "
                    f"({d['draft_awards']} tập thể, cá nhân)."
                ),
                None,
                "Dự thảo quyết định",
            ),
        ]
    if username in OFFICE:
        out += [
            (
                f"Kiểm tra hồ sơ đã nộp: {yearly}",  # KHTC's and TTUD's yearly dossiers
                "2 hồ sơ đang chờ Văn phòng tiếp nhận hoặc trả lại.",
                2,
                f"Tiếp nhận hồ sơ: {yearly}",
            ),
            # 7 units; KHTC, TDC, TTUD sent the yearly one; QLCN, TTRA the thematic one
            (
                f"Đơn vị chưa nộp hồ sơ: {yearly}",
                f"4 đơn vị chưa nộp; hạn {re.escape(cut[yearly])}, {TL}.",
                4,
                f"Tiếp nhận hồ sơ: {yearly}",
            ),
            (
                "Đợt thi đua",
                "Tạo đợt, đặt hạn nộp, gia hạn cho đơn vị.",
                None,
                "Đợt thi đua, khen thưởng",
            ),
        ]
        if d["thematic_open"]:
            out.append(
                (
                    f"Đơn vị chưa nộp hồ sơ: {thematic}",
                    f"5 đơn vị chưa nộp; hạn {re.escape(cut[thematic])}, {TL}.",
                    5,
                    f"Tiếp nhận hồ sơ: {thematic}",
                )
            )
    code = UNIT_OF.get(username) or UNIT_OF.get(STANDS_IN.get(username, ""))
    if code:
        unit = UNITS[code]
        out.append(
            (
                f"Quyết định số {d['number']:02d} đã ban hành",
                re.escape(
                    f"{d['per_unit'][code]} tập thể, cá nhân của đơn vị được khen thưởng: "
                    f"Về việc tặng danh hiệu thi đua năm {d['last']}."
                ),
                None,
                f"Quyết định số {d['number']:02d}/QĐ-SKHCN",
            )
        )
        to_create = [yearly] if code in ("VP", "QLKH") else []
        if d["thematic_open"] and code not in ("QLCN", "TTRA"):  # those two are at the council
            to_create.append(thematic)
        for name in to_create:
            out.append(
                (
                    f"Lập hồ sơ: {name}",
                    f"{re.escape(unit)} chưa có hồ sơ. Hạn {re.escape(cut[name])}, {TL}.",
                    None,
                    name,
                )
            )
        if code == "QLCN":
            out.append(
                (
                    f"Hoàn thiện và nộp hồ sơ: {yearly}",
                    f"Hồ sơ của {unit}: bản nháp, 2 đề nghị. Hạn {TL}.",
                    None,
                    f"Hồ sơ của {unit}",
                )
            )
        if code == "TTRA":
            out.append(
                (
                    f"Bổ sung hồ sơ bị trả lại: {yearly}",
                    f"2 nội dung cần bổ sung. Hạn {TL}.",
                    2,
                    f"Hồ sơ của {unit}",
                )
            )
    return out


# One round trip for what a person reads on the home page: the navigation badge, the number
# of list pages (the highest page number shown), each task. Each text is that of the one
# element it names, as a locator's inner_text() (strict: two such elements in one task are
# an error, not a guess).
READ_TASKS = """() => {
  const one = (root, selector, required) => {
    const found = root.querySelectorAll(selector);
    if (found.length > 1) throw new Error('strict mode: ' + found.length + ' × ' + selector);
    if (!found.length && required) throw new Error('missing: ' + selector);
    return found.length ? found[0].innerText : null;
  };
  const items = document.querySelectorAll('[data-testid=tasks] a.list-group-item');
  return {
    badge: one(document, '[data-testid=task-count]', false),
    pages: Math.max(0, ...[...document.querySelectorAll('.pagination a.page-link')]
      .map(a => Number(a.innerText))),  // the last page's number (a window shows a few)
    tasks: [...items].map(item => ({
      title: one(item, 'h3', true).trim(),
      detail: one(item, 'p', true).trim(),
      on_behalf: one(item, '[data-testid=on-behalf]', false),
      count: one(item, '.badge', false),
      href: item.getAttribute('href'),
      urgent: (item.getAttribute('class') || '').includes('list-group-item-warning'),
    })),
  };
}"""


def read_home(page, base: str, home=None) -> tuple[list[dict], int]:
    """Every task on every page of "Việc cần làm", and the badge in the navigation bar.

    `home`: the response the page is showing, when it is already at home (after sign_in)."""
    response = home if home is not None and home.url == f"{base}/" else page.goto(f"{base}/")
    assert response.status == 200
    first = page.evaluate(READ_TASKS)
    nav = int(first["badge"]) if first["badge"] is not None else 0
    pages = max(first["pages"], 1)
    tasks = []
    for n in range(1, pages + 1):
        if n > 1:
            assert page.goto(f"{base}/?trang={n}").status == 200
        for task in (first if n == 1 else page.evaluate(READ_TASKS))["tasks"]:
            task["count"] = int(task["count"]) if task["count"] is not None else None
            tasks.append(task)
    if pages > 1:
        page.goto(f"{base}/")
    return tasks, nav


@pytest.mark.parametrize("username", LOGINS)
def test_role_sees_its_tasks(live_server, page, demo, username):
    base, _ = live_server
    tasks, nav = read_home(page, base, sign_in(page, base, username))
    heading = page.locator("main h2").first.inner_text().strip()

    # The list holds exactly the role's tasks: nothing missing, nothing from another role.
    want = expected_tasks(username, demo)
    assert sorted(t["title"] for t in tasks) == sorted(w[0] for w in want), username
    for title, detail, count, _ in want:
        got = next(t for t in tasks if t["title"] == title)
        assert re.fullmatch(detail, got["detail"]), (username, title, got["detail"])
        assert got["count"] == count, (username, title)
        # A substitute's tasks say whose they are; nobody else's carry that label.
        if username in STANDS_IN:
            assert got["on_behalf"] and got["on_behalf"].startswith("Làm thay Chánh Văn phòng "), (
                title,
                got["on_behalf"],
            )
        else:
            assert got["on_behalf"] is None, (username, title)

    # The badge, the heading and the list agree.
    assert nav == len(tasks) == len(want)
    assert heading == (f"Việc cần làm ({len(tasks)})" if tasks else "Việc cần làm")
    text = page.inner_text("main")
    if not tasks:
        assert "Hiện không có việc nào đang chờ anh/chị." in text
        assert page.locator("[data-testid=tasks]").count() == 0

    # What must never show: another unit's name, the signer's or the office's work.
    own = UNITS.get(UNIT_OF.get(username) or UNIT_OF.get(STANDS_IN.get(username, ""), ""))
    if username not in OFFICE:
        for other in set(UNITS.values()) - {own}:
            assert other not in " ".join(t["detail"] for t in tasks), (username, other)
    titles = " | ".join(t["title"] for t in tasks)
    assert ("Ký quyết định" in titles) == (username == "giamdoc")
    assert ("Kiểm tra hồ sơ" in titles) == (username in OFFICE)
    assert "Bỏ phiếu:" not in titles and "Theo dõi biểu quyết" not in titles  # nothing open
    for t in tasks:
        if t["title"].startswith(("Ký quyết định", "Bổ sung hồ sơ")):
            assert t["urgent"], t["title"]
    shot(page, f"tasks-{username}")

    # Every task opens a page the role may see, with the expected heading and the same badge.
    for title, _, count, page_heading in want:
        href = next(t["href"] for t in tasks if t["title"] == title)
        response = page.goto(f"{base}{href}")
        assert response.status == 200, (username, href)
        assert page_heading in page.locator("h1").first.inner_text(), (username, href)
        assert page.locator("[data-testid=task-count]").inner_text() == str(len(tasks))
        if title.startswith("Bổ sung hồ sơ"):
            assert page.locator("[data-testid=fix-list] li").count() == count
        if title.startswith("Lập hồ sơ"):  # one "Lập hồ sơ" button, in the role's own row
            assert page.locator("button", has_text=re.compile("^Lập hồ sơ$")).count() == 1
            assert page.locator("tr", has_text=own).locator("button").count() == 1
        if title == "Ký quyết định":
            assert f"Danh sách kèm theo ({demo['draft_awards']})" in page.inner_text("main")
        if title.startswith("Mở biểu quyết"):
            assert page.inner_text("[data-testid=meeting-state]") == "Chuẩn bị"
            assert (
                page.locator("[data-testid=chair-acts] button", has_text="Mở biểu quyết").count()
                == 1
            )
        if title.startswith("Đơn vị chưa nộp") and "cải cách" in title:
            assert page.locator("[data-testid=intake] tbody tr").count() == count

    if username == "vanthu":  # not on the council; the register is the Văn thư's page
        page.goto(f"{base}/so-van-ban/")
        assert "249/QĐ-SKHCN" in page.inner_text("[data-testid=register]")
    elif not tasks:  # no task link: the member can still open the meeting, in preparation
        page.goto(f"{base}/hoi-dong/")
        page.click("[data-testid=meetings] a")
        assert page.inner_text("[data-testid=meeting-state]") == "Chuẩn bị"
        assert page.locator("[data-testid=ballot]").count() == 0


def test_office_unsubmitted_count_matches_its_page(live_server, page, demo):
    base, _ = live_server
    tasks, _ = read_home(page, base, sign_in(page, base, "vanphong"))
    task = next(
        t
        for t in tasks
        if t["title"] == f"Đơn vị chưa nộp hồ sơ: Khen thưởng công tác năm {demo['year']}"
    )
    page.goto(f"{base}{task['href']}")
    rows = page.locator("[data-testid=intake] tbody tr").count()
    assert f"{task['count']} đơn vị chưa nộp" in page.inner_text("main")
    assert rows == task["count"]
