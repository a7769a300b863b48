"""Issue, check and spend e-mail action links.

A link opens a confirmation page (a GET never acts: mail scanners follow links); the
POST from that page spends the link and acts, in one transaction, as the person it was
made for. A link dies when it is used, when it expires, or when the task is no longer
that person's: the vote closed or they were marked absent, the draft was edited, the
signing right went back (a substitution ended), the account was disabled.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import select, update

from .. import audit
from ..access import Action, Verdict, can
from ..council.models import Meeting
from ..council.operations import still_to_vote
from ..decisions.models import Decision
from ..errors import DomainError
from ..extensions import db
from ..notify.mail import link as absolute
from ..states import DecisionTrigger
from ..timeutil import now, vn_datetime
from ..workflow import allowed, flow_of
from .models import ActionLink


class DeadLink(DomainError):
    """The link cannot be used; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Kind:
    name: str
    title: str  # what the confirmation page offers to do
    # Whether the person may do the act, and on whose behalf: the audit trail's verdict.
    verdict: Callable[[object, object], Verdict]
    load: Callable[[int], object | None]
    version: Callable[[object], int | None]
    reason_dead: Callable[[object, object, ActionLink], str | None]


def _meeting(object_id: int):

    return db.session.get(Meeting, object_id)


def _decision(object_id: int):

    return db.session.get(Decision, object_id)


def _vote_dead(user, meeting, link) -> str | None:

    if not meeting.voting:
        return "Biểu quyết đã đóng (hoặc chưa mở lại)."
    me = next((a for a in meeting.attendance if a.member_id == user.id), None)
    if me is None or not me.present or not can(user, Action.VOTE, meeting):
        return "Anh/chị không còn trong danh sách thành viên có mặt của phiên họp."
    if not still_to_vote(meeting, user.id):
        return "Anh/chị đã bỏ phiếu cho tất cả."
    return None


def _issue_dead(user, decision, link) -> str | None:
    if decision.issued:
        return "Quyết định đã được ban hành."
    flow = flow_of(decision)
    if decision.signed_at is not None and decision.state not in flow.sources(DecisionTrigger.SIGN):
        return "Quyết định đã được ký; Văn thư cấp số, ban hành."
    if decision.state not in flow.sources(DecisionTrigger.SIGN):
        return f"Dự thảo đang ở trạng thái «{flow.title(decision.state)}», chưa ký được."
    if decision.version != link.bound_version:
        return (
            "Dự thảo đã được sửa sau khi thư được gửi: hãy đăng nhập để xem bản mới trước khi ký."
        )
    if not allowed(user, decision, DecisionTrigger.SIGN):
        return "Anh/chị không còn quyền ký quyết định này (việc đã giao lại cho người khác)."
    return None


KINDS = {
    "vote": Kind(
        "vote",
        "Bỏ phiếu kín",
        lambda user, meeting: can(user, Action.VOTE, meeting),
        _meeting,
        lambda m: None,
        _vote_dead,
    ),
    # The Director signs from the mail; the Văn thư numbers and issues it on the site.
    # (The kind keeps its first name: links already sent and stored carry it.)
    "issue_decision": Kind(
        "issue_decision",
        "Ký quyết định",
        lambda user, decision: allowed(user, decision, DecisionTrigger.SIGN),  # the sign row
        _decision,
        lambda d: d.version,
        _issue_dead,
    ),
}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def make(user, kind: str, obj) -> tuple[str, object]:
    """A new link for `user` to do `kind` on `obj`: (token, expiry). In the caller's
    transaction, so a link exists only if the mail carrying it was queued."""
    hours = int(current_app.config.get("MAIL_ACTION_HOURS", 48))
    token = secrets.token_urlsafe(32)
    link = ActionLink(
        token_hash=_hash(token),
        user_id=user.id,
        kind=kind,
        object_id=obj.id,
        bound_version=KINDS[kind].version(obj),
        expires_at=now() + timedelta(hours=hours),
    )
    db.session.add(link)
    return token, link.expires_at


def url(token: str) -> str:

    return absolute("mail_actions.confirm", token=token)


def check(token: str) -> tuple[ActionLink, object]:
    """The live link and its object, or DeadLink saying why it cannot be used."""
    link = db.session.scalar(select(ActionLink).where(ActionLink.token_hash == _hash(token)))
    if link is None:
        raise DeadLink("Liên kết không đúng hoặc không còn tồn tại.")
    if link.used_at is not None:
        raise DeadLink(
            f"Liên kết đã được dùng lúc {vn_datetime(link.used_at)}; mỗi liên kết chỉ dùng một lần."
        )
    if link.expires_at <= now():
        raise DeadLink(f"Liên kết đã hết hạn lúc {vn_datetime(link.expires_at)}.")
    if not link.user.active:
        raise DeadLink("Tài khoản nhận thư đã bị vô hiệu hóa.")
    kind = KINDS.get(link.kind)
    obj = kind.load(link.object_id) if kind else None
    if obj is None:
        raise DeadLink("Việc trong thư không còn tồn tại.")
    reason = kind.reason_dead(link.user, obj, link)
    if reason:
        raise DeadLink(reason)
    return link, obj


def spend(link: ActionLink, obj) -> None:
    """Mark the link used, in the act's transaction; only one of two racing POSTs gets it."""
    spent = db.session.execute(
        update(ActionLink)
        .where(ActionLink.id == link.id, ActionLink.used_at.is_(None))
        .values(used_at=now())
    ).rowcount
    if spent != 1:
        raise DeadLink("Liên kết vừa được dùng; mỗi liên kết chỉ dùng một lần.")
    audit.record(
        actor=link.user,
        action="mail_link_used",
        object_type=link.kind,
        object_id=link.object_id,
        verdict=KINDS[link.kind].verdict(link.user, obj),
    )


def offer(user, kind: str, obj) -> dict:
    """Template context for a mail to `user`: a fresh link when the task is theirs now,
    else nothing (the mail then only points to the site)."""

    spec = KINDS[kind]
    if spec.reason_dead(user, obj, SimpleNamespace(bound_version=spec.version(obj))):
        return {}
    token, expires = make(user, kind, obj)
    return {
        "action_url": url(token),
        "action_expires": vn_datetime(expires),
        "action_title": spec.title,
    }
