"""Sign-in, sign-out and the user's own password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ..access import Action, guard, public
from ..errors import DomainError
from ..extensions import db, login_manager
from ..params import safe_next
from . import operations as ops
from .forms import LoginForm, PasswordForm
from .models import User

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
login_manager.login_message_category = "warning"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    try:
        user_id, epoch = (int(part) for part in session_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_epoch != epoch or not user.active:
        return None
    return user


@bp.route("/dang-nhap", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = ops.authenticate(form.username.data, form.password.data)
        except DomainError as err:
            db.session.commit()  # the failure counter must persist
            flash(err.message, "danger")
            return render_template("auth/login.html", form=form), 401
        db.session.commit()
        login_user(user)
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/dang-xuat")
@guard(Action.HOME)
def logout():
    logout_user()
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/tai-khoan/mat-khau", methods=["GET", "POST"])
@guard(Action.CHANGE_OWN_PASSWORD)
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            ops.change_password(current_user, current=form.current.data, new=form.new.data)
        except DomainError as err:
            flash(err.message, "danger")
            return render_template("auth/password.html", form=form), 422
        db.session.commit()
        login_user(current_user)  # keep this session alive with the new epoch
        flash("Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc.", "success")
        return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form)
