"""Sign-in, sign-out and the user's own password."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_url, login_user, logout_user

from .. import throttle
from ..access import Action, guard, public
from ..errors import acting, flash_message
from ..extensions import db, login_manager
from ..params import safe_next
from . import operations as ops
from . import sessions
from .forms import LoginForm, PasswordForm
from .models import User

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
login_manager.login_message_category = "warning"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return sessions.load(user_id)


@login_manager.unauthorized_handler
def sign_in_first():
    expired = g.pop("session_expired", False)
    flash(sessions.EXPIRED_MESSAGE if expired else login_manager.login_message, "warning")
    return redirect(login_url(login_manager.login_view, request.url))


@bp.route("/dang-nhap", methods=["GET", "POST"])
@public
@throttle.limit_sign_in
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        with acting(say=flash_message) as outcome:
            user = ops.authenticate(form.username.data, form.password.data)
        if outcome.refused:  # a failure saves nothing; the limiter counts it (401)
            return render_template("auth/login.html", form=form), 401
        sessions.start(user)  # a new session: new token, new CSRF token
        db.session.commit()
        login_user(user)
        response = redirect(safe_next(request.args.get("next")))
        throttle.remember_device(response, throttle.account_key(user.username))
        return response
    return render_template("auth/login.html", form=form)


@bp.post("/dang-xuat")
@guard(Action.HOME)
def logout():
    logout_user()
    sessions.end_current()
    db.session.commit()
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


@bp.post("/dang-xuat/moi-thiet-bi")
@guard(Action.CHANGE_OWN_PASSWORD)
def logout_everywhere():
    user = current_user._get_current_object()
    ended = ops.sign_out_everywhere(user)
    logout_user()
    sessions.end_current()
    db.session.commit()
    flash(f"Đã đăng xuất khỏi mọi thiết bị ({ended} phiên đăng nhập).", "info")
    return redirect(url_for("auth.login"))


@bp.route("/tai-khoan/mat-khau", methods=["GET", "POST"])
@guard(Action.CHANGE_OWN_PASSWORD)
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        with acting(say=flash_message) as outcome:
            ops.change_password(
                current_user,
                current=form.current.data,
                new=form.new.data,
                keep_session=sessions.current_hash(),
            )
        if outcome.refused:
            return _password_page(form), 422
        db.session.commit()
        flash("Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc.", "success")
        return redirect(url_for("home.index"))
    return _password_page(form)


def _password_page(form):
    return render_template(
        "auth/password.html", form=form, session_count=sessions.count(current_user)
    )
