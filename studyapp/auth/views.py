from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..extensions import db, limiter
from ..models import User
from . import bp
from .accounts import create_account
from .forms import LoginForm, RegisterForm
from .passwords import check_password


def safe_next(target: str | None) -> str:
    """Only same-site relative paths: `next=` must never redirect off the site."""
    if not target:
        return url_for("study.dashboard")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("study.dashboard")
    return target


def _login_key() -> str:
    """Guessing one account's password is limited per address and e-mail, so a whole class
    logging in from one school address is not throttled as one client."""
    return f"login:{get_remote_address()}:{(request.form.get('email') or '').strip().lower()}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], key_func=_login_key)
@limiter.limit("200 per minute", methods=["POST"], key_func=get_remote_address)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("study.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.email == form.email.data.strip().lower()))
        if user is None:
            flash("No account uses that e-mail address. Check it, or register.", "error")
        elif not check_password(user.password_hash, form.password.data):
            flash("Wrong password for that e-mail address.", "error")
        else:
            login_user(user, remember=True)
            flash(f"Welcome back, {user.name}.", "success")
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"], key_func=get_remote_address)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("study.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if db.session.scalar(select(User).where(User.email == email)):
            form.email.errors.append("An account with that e-mail address already exists. Log in instead.")
        else:
            user = create_account(email, form.password.data, form.role.data, form.name.data or "")
            login_user(user, remember=True)
            flash("Your account is ready. Pick a set to study.", "success")
            return redirect(url_for("study.dashboard"))
    status = 400 if form.errors else 200
    return render_template("auth/register.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    # A shared computer: nothing of this user's session (pending messages included) survives.
    # Cleared before logout_user(), which then marks the remember-me cookie for deletion.
    session.clear()
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
