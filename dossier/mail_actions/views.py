"""/thu/<token>: the page an e-mail link opens. GET shows, only the POST acts."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from ..access import public
from ..council import operations as council
from ..council.views import _choices
from ..decisions import operations as decisions
from ..decisions.export import export
from ..errors import acting
from ..extensions import db
from ..throttle import mail_link_limit
from . import links

bp = Blueprint("mail_actions", __name__, url_prefix="/thu")
mail_link_limit(bp)  # wrong tokens count with failed sign-ins, per client address


@bp.after_request
def _private(response: Response) -> Response:
    # The token is in the URL: never cache the page, never send it on as a Referer.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _dead(message: str, status: int = 410):
    # Nothing written is kept: a dead link's page commits nothing (a refused act was rolled
    # back to its savepoint; the rest is dropped with the request's session).
    return render_template("mail_actions/dead.html", message=message), status


def _someone_else(link) -> bool:
    return current_user.is_authenticated and current_user.id != link.user_id


def _page(link, obj, **extra):
    context = dict(link=link, obj=obj, kind=links.KINDS[link.kind], token=extra.pop("token"))
    if link.kind == "vote":
        context.update(
            rows=council.rows(obj),
            todo=council.still_to_vote(obj, link.user_id),
            own=council.own_nominations(link.user),
            my_recusals=council.recusal_rules.of_member(obj, link.user_id),
        )
    return render_template(f"mail_actions/{link.kind}.html", **context, **extra)


def _open(token: str):
    """(link, object, None) for a live link of the person at hand; else (None, None, the
    page saying why)."""
    try:
        link, obj = links.check(token)
    except links.DeadLink as err:
        return None, None, _dead(err.message)
    if _someone_else(link):
        return (
            None,
            None,
            _dead(
                f"Liên kết này dành cho {link.user.display_name}; anh/chị đang đăng nhập bằng tài "
                f"khoản {current_user.display_name}.",
                403,
            ),
        )
    return link, obj, None


@bp.get("/<token>")
@public
def confirm(token: str):
    link, obj, refused = _open(token)
    return refused or _page(link, obj, token=token)


@bp.post("/<token>")
@public
def act(token: str):
    link, obj, refused = _open(token)
    if refused:
        return refused
    user = link.user
    with acting(say=None) as outcome:  # said on the page itself
        links.spend(link, obj)
        done = _do(link, obj, user)
    if isinstance(outcome.error, links.DeadLink):
        return _dead(outcome.error.message)
    if outcome.refused:  # nothing happened; the link stays usable
        link, obj, refused = _open(token)
        return refused or (_page(link, obj, token=token, error=outcome.error.message), 422)
    db.session.commit()
    return render_template("mail_actions/done.html", message=done, user=user)


def _do(link, obj, user) -> str:
    if link.kind == "vote":
        votes, recusals = _choices()
        count = council.cast(user, obj, votes=votes, recusals=recusals)
        return f"Đã ghi nhận phiếu kín của {user.display_name} ({count} người)."
    if link.kind == "issue_decision":
        decisions.sign(user, obj, version=link.bound_version)
        return "Đã ký quyết định; Văn thư sẽ cấp số, ban hành và báo các đơn vị."
    abort(404)  # pragma: no cover  (KINDS and this function list the same kinds)


@bp.get("/<token>/du-thao.pdf")
@public
def draft_pdf(token: str):
    """The draft the link asks to sign, to read before signing (reading spends nothing)."""
    link, obj, refused = _open(token)
    if refused:
        return refused
    if link.kind != "issue_decision":
        abort(404)

    body, mime, name = export(obj, "pdf")
    return Response(
        body, mimetype=mime, headers={"Content-Disposition": f'inline; filename="{name}"'}
    )
