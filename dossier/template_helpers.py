"""Filters and globals every template shares: dates in Vietnamese, the permission layer."""

from __future__ import annotations

from flask import current_app, g, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from . import enums, timeutil
from .access import Action, can
from .assets import STATIC_ENDPOINTS
from .council.thresholds import shown as percent
from .enums import CouncilPosition, Gender, Role, UnitKind
from .inbox import kept, task_count
from .paging import page_window
from .params import typed
from .states import ENUMS, TRIGGERS, DossierState
from .workflow import FLOWS, GUARD_TITLES, action_titles, actions, event_of, flow_of, shown

# What the timelines call an audit event that is not a transition (creating, editing,
# importing, signing in…). A transition's event is called by its row's title
# (workflow.action_titles): it is written in its table only, so a new row needs no line here
# (tests/test_action_titles.py checks that no entry here names a row's event).
EVENT_TITLES = {
    "created": "lập hồ sơ",
    "letter_updated": "cập nhật tờ trình",
    "minutes_updated": "cập nhật biên bản họp",
    "nominee_added": "thêm vào danh sách",
    "nominee_updated": "sửa người được đề nghị",
    "nominee_removed": "bỏ khỏi danh sách",
    "nominees_imported": "nhập danh sách từ Excel",
    "report_saved": "lưu báo cáo thành tích",
    "report_confirmed": "xác nhận báo cáo thành tích",
    "attachment_added": "tải lên tệp",
    "attachment_removed": "xóa tệp",
    "nominee_ineligible": "đánh dấu không đủ điều kiện",
    "nominee_restored": "đưa trở lại danh sách",
    "history_imported": "nhập lịch sử khen thưởng",
    "award_revoked": "thu hồi khen thưởng",
    "decision_drafted": "lập dự thảo quyết định",
    "decision_updated": "sửa dự thảo",
    "decision_correction_drafted": "lập dự thảo đính chính",
    "mail_link_used": "thực hiện từ liên kết trong thư",
    "delegation_created": "giao làm thay",
    "account_created": "tạo tài khoản",
    "account_updated": "sửa tài khoản",
    "unit_updated": "sửa phòng, đơn vị",
    "staff_updated": "sửa thông tin cán bộ",
    "campaign_updated": "sửa đợt thi đua",
    "agency_updated": "sửa thông tin cơ quan",
    "attendance_recorded": "ghi danh sách có mặt",
    "award_form_updated": "sửa hình thức khen thưởng",
    "award_rule_saved": "lưu quy tắc của hình thức khen thưởng",
    "ballot_cast": "bỏ phiếu kín",
    "campaign_created": "tạo đợt thi đua",
    "demo_bulk_dossier": "nạp hồ sơ mẫu",
    "demo_loaded": "nạp dữ liệu mẫu",
    "extension_granted": "gia hạn nộp hồ sơ",
    "list_sent_to_council": "trình danh sách lên Hội đồng",
    "login": "đăng nhập",
    "signed_out_everywhere": "đăng xuất khỏi mọi thiết bị",
    "meeting_created": "tạo phiên họp Hội đồng",
    "minutes_numbered": "cấp số biên bản họp Hội đồng",
    "paper_tally_entered": "nhập kết quả phiếu giấy",
    "password_changed": "đổi mật khẩu",
    "role_granted": "giao vai trò",
    "role_revoked": "gỡ vai trò",
    "signing_certificate_removed": "gỡ chứng thư số",
    "signing_certificate_set": "cài chứng thư số",
    "staff_created": "thêm cán bộ",
    "rating_set": "ghi kết quả đánh giá, xếp loại cán bộ",
    "initiative_added": "thêm sáng kiến, đề tài của cán bộ",
    "discipline_added": "ghi nhận kỷ luật của cán bộ",
    "staff_facts_imported": "nhập đánh giá, sáng kiến, kỷ luật của cán bộ từ Excel",
    "trust_roots_set": "cài chứng thư gốc tin cậy",
    "unit_created": "thêm phòng, đơn vị",
    "written_vote_recorded": "ghi ý kiến bằng văn bản",
    "mail_retry": "gửi lại thư",
    "mail_retry_failed": "gửi lại các thư gửi lỗi",
    "audit_anchored": "niêm phong nhật ký",
    "legal_text_saved": "lưu văn bản làm căn cứ",
    "award_setting_saved": "lưu mức lương cơ sở, cách tính tiền thưởng",
    "council_setting_saved": "lưu cài đặt kiểm phiếu của Hội đồng",
    "certificate_template_updated": "sửa mẫu giấy khen",
    "certificates_printed": "in giấy khen",
    "register_set": "đặt lại số của sổ đăng ký văn bản",
    "api_token.issue": "cấp mã truy cập API",
    "api_token.revoke": "thu hồi mã truy cập API",
    "stats_report_setting.update": "sửa lời văn báo cáo thống kê",
}
# Every event the timelines name: the rows' titles, then the other events.
ACTION_TITLES = {**EVENT_TITLES, **action_titles()}


# The dossier's states as every page names and colours them (constants: built once, not on
# every page).
STATE_TITLES = {s.value: s.title_vi for s in DossierState}
STATE_BADGES = {n: s.get("badge") for n, s in FLOWS["dossier"].states.items()}
_BADGE = '<span class="badge bg-%s state-badge" data-state="%s">%s</span>'


def state_badge(state) -> Markup:
    """A dossier state's badge: what the `state_badge` macro drew, made in Python (a list
    draws one per row, and a Jinja macro call costs several times a function's)."""
    # Each value escaped as `{{ value }}` escapes it.
    colour, title = STATE_BADGES.get(state, "secondary"), STATE_TITLES.get(state, state)
    return Markup(_BADGE % (escape(colour), escape(state), escape(title)))


_FINDING = (
    '<div class="small %s" data-rule="%s">\n'
    '  <strong>%s:</strong> %s <span class="text-muted fst-italic">(%s)</span></div>'
)


def findings_html(findings) -> Markup:
    """The intake checks' findings as every page shows them (intake/_findings.html draws
    them with this): the consolidated list has one cell of them per row, and an include
    per row copied the whole template context each time."""
    out = []
    for f in findings or ():
        error = f.level == "error"
        out.append(
            _FINDING
            % (
                "text-danger" if error else "text-warning-emphasis",
                escape(f.rule),
                "Lỗi" if error else "Cảnh báo",
                escape(f.message),
                escape(f.source),
            )
        )
    return Markup("".join(out))


# An id far from any real one, in the `int` converter's range: where it lands in a built URL
# is where each row's id goes.
_MARK = 1357924680


def url_template(endpoint: str, name: str, **values):
    """`url_for(endpoint, **values, name=id)` for many ids (a row's link, a page number in
    the query string): the URL is built once (with its prefix, SCRIPT_NAME, defaults and
    query string, as url_for builds it) around a marker number, and each value put in its
    place. Only a non-negative `int` is filled in (its digits need no escaping); anything
    else, or a URL where the marker is not found exactly once, goes through url_for.
    A value given for `name` in `values` only keeps its place among the query arguments
    (url_for writes them in the order given)."""
    values = dict(values)
    values[name] = _MARK
    built = url_for(endpoint, **values)
    head, found, tail = built.partition(str(_MARK))
    if not found or str(_MARK) in tail or str(_MARK) in head:

        def slow(value):
            return url_for(endpoint, **{**values, name: value})

        return slow

    def fill(value) -> str:
        if type(value) is not int or value < 0:
            return url_for(endpoint, **{**values, name: value})
        return f"{head}{value}{tail}"

    return fill


# What url_for gave for the navigation's links and the base page's files, kept per app by
# what it depends on: the request's host, scheme and prefix (SCRIPT_NAME, X-Forwarded-
# Prefix), the endpoint and its values. The URL map and the files' fingerprints do not
# change while the process runs (with the reloader on, files do: then nothing is kept).
# Bounded: the Host header is the client's to choose.
_URLS_MAX = 512
_SITE = ("HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "wsgi.url_scheme", "SCRIPT_NAME")


def _kept_for_site(key: tuple, compute, fingerprinted):
    if current_app.debug:
        return compute()
    kept = current_app.extensions.setdefault("page_urls", {})
    env = request.environ  # as the request's URL adapter reads them (after ProxyFix)
    site = tuple(env.get(k) for k in _SITE)
    key = (*site, *key)
    found = kept.get(key)
    if found is None:
        found = compute()
        if not fingerprinted(found):
            return found  # a file without its fingerprint yet (not there): asked again
        if len(kept) >= _URLS_MAX:
            kept.clear()
        kept[key] = found
    return found


def page_url(endpoint: str, **values) -> str:
    """`url_for(endpoint, **values)` for the links every page draws, built once per host
    and prefix instead of on every page."""
    if endpoint.startswith("."):  # relative to the request's blueprint
        return url_for(endpoint, **values)
    static = endpoint in STATIC_ENDPOINTS
    return _kept_for_site(
        (endpoint, *sorted(values.items())),
        lambda: url_for(endpoint, **values),
        lambda url: not static or "?v=" in url,
    )


def page_assets(name: str, draw) -> Markup:
    """What `draw()` gives (Flask-Bootstrap's load_css/load_js: tags whose URLs come from
    url_for), kept like page_url's links once every URL in it carries its fingerprint."""
    return _kept_for_site(
        ("assets", name),
        lambda: Markup(draw()),
        lambda html: html.count("?v=") == html.count(" href=") + html.count(" src="),
    )


def _task_count() -> int:
    """The badge on "Việc cần làm": computed once per request, only when a page shows it."""

    if not current_user.is_authenticated:
        return 0
    if "task_count" not in g:
        g.task_count = task_count(current_user)
    return g.task_count


def _office_people() -> list[str]:
    from .help.queries import office_people

    return office_people()


def _next_cutoff():
    """The nearest cut-off ahead (a moment, not the campaign: it is kept between requests
    until anything is written, or the minute turns)."""
    from .help.queries import next_cutoff

    def compute():
        campaign = next_cutoff()
        return campaign.cutoff_at if campaign else None

    return kept("next_cutoff", compute)


def register(app) -> None:
    app.jinja_env.filters.update(
        vn_date=timeutil.vn_date,
        vn_datetime=timeutil.vn_datetime,
        short_date=timeutil.short_date,
        time_left=timeutil.time_left,
        describe_cutoff=timeutil.describe_cutoff,
    )
    # Pure functions: globals, so that a macro imported without context has them (pagers).
    app.jinja_env.globals.update(url_template=url_template, page_window=page_window)

    @app.context_processor
    def _globals():
        # Pages ask the same pure checks as the views and operations: a button and its act
        # cannot disagree.
        def may(action, obj=None):
            return can(current_user, action, obj)

        def acts_for(obj):
            """The rows the user may fire on `obj` now, whose button is on its page."""
            return [
                r
                for r in actions(current_user, obj)
                if r.get("page", "show") == "show" and shown(obj, r)
            ]

        def help_entries():
            """This page's help for the user's roles (dossier/help/content.py)."""
            from flask import request

            from .help.queries import entries

            if not current_user.is_authenticated:
                return []
            return entries(current_user, request.endpoint)

        return {
            "help_entries": help_entries,
            "help_office_people": _office_people,
            "help_next_cutoff": _next_cutoff,
            "nav_task_count": _task_count,
            "typed": typed,
            "now_local": timeutil.local_now(),
            "can": may,
            "acts_for": acts_for,
            "Action": Action,
            "Role": Role,
            "CouncilPosition": CouncilPosition,
            "Gender": Gender,
            "UnitKind": UnitKind,
            "enums": enums,
            "state_titles": STATE_TITLES,
            "state_badges": STATE_BADGES,
            "state_badge": state_badge,
            "page_url": page_url,
            "page_assets": page_assets,
            "findings_html": findings_html,
            "guard_titles": GUARD_TITLES,
            "flow_of": flow_of,
            "event_of": event_of,
            **ENUMS,
            **TRIGGERS,
            "action_titles": ACTION_TITLES,
            "percent": percent,
        }
