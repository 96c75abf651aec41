from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from ..extensions import db, limiter
from . import bp, instructors, reset
from .accounts import create_account
from .forms import (
    ChangePasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from .passwords import check_password, hash_password, needs_rehash, password_problem
from .sessions import log_in, log_out, revoke_others

WRONG_LOGIN = "Wrong e-mail address or password."


def safe_next(target: str | None) -> str:
    """Only same-site relative paths: `next=` must never redirect off the site."""
    if not target:
        return url_for("study.dashboard")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("study.dashboard")
    return target


def _setting(name: str):
    return lambda: current_app.config[name]


def _failed_login(response) -> bool:
    """Only failed logins count towards the failure limits: a class logging in right is never held up."""
    return g.get("login_failed", False)


def _account_key() -> str:
    return f"login-failures:{get_remote_address()}:{(request.form.get('email') or '').strip().lower()}"


def _address_key() -> str:
    return f"login-failures:{get_remote_address()}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_setting("LOGIN_FAILURES_PER_ACCOUNT"), methods=["POST"], key_func=_account_key,
               deduct_when=_failed_login)
@limiter.limit(_setting("LOGIN_FAILURES_PER_ADDRESS"), methods=["POST"], key_func=_address_key,
               deduct_when=_failed_login)
@limiter.limit(_setting("LOGIN_RATELIMIT"), methods=["POST"], key_func=get_remote_address)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("study.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = reset.account_for_email(form.email.data)
        # One message and one password hash whether or not the account exists.
        if check_password(user.password_hash if user else None, form.password.data) and user:
            if needs_rehash(user.password_hash):  # the Argon2 settings changed since
                user.password_hash = hash_password(form.password.data)
                db.session.commit()
            log_in(user, remember=form.remember.data)
            flash(f"Welcome back, {user.name}.", "success")
            return redirect(safe_next(request.args.get("next")))
        g.login_failed = True
        flash(WRONG_LOGIN, "error")
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_setting("REGISTER_RATELIMIT"), methods=["POST"], key_func=get_remote_address)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("study.dashboard"))
    form = RegisterForm()
    if request.method == "GET" and request.args.get("invite"):  # the administrator's link
        form.invite.data, form.role.data = request.args["invite"], "instructor"
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        try:
            signup = instructors.signup(form.role.data, email, form.invite.data or "")
        except instructors.SignupError as exc:
            form.invite.errors.append(str(exc))
        else:
            if reset.account_for_email(email) is not None:
                hash_password(form.password.data)  # the same time as creating an account
                form.email.errors.append("That e-mail address cannot be used to register. If it "
                                         "is yours, log in, or choose a new password.")
            else:
                user = create_account(email, form.password.data, signup.role, form.name.data or "")
                log_in(user, remember=False)
                if signup.requested:
                    instructors.request_role(user)
                    flash("Your account is ready. The site's administrator will confirm you as an "
                          "instructor; until then you can study like a student.", "success")
                else:
                    flash("Your account is ready. Pick a set to study.", "success")
                return redirect(url_for("study.dashboard"))
    status = 400 if form.errors else 200
    return render_template("auth/register.html", form=form,
                           instructor_signup=instructors.mode()), status


@bp.post("/logout")
@login_required
def logout():
    log_out(current_user)
    flash("You are logged out, on this device and every other.", "info")
    return redirect(url_for("auth.login"))


# --- the account's password and sessions ---------------------------------------------------

@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not check_password(current_user.password_hash, form.current.data):
            form.current.errors.append("That is not your current password.")
        else:
            reset.set_password(current_user, form.password.data)
            revoke_others(current_user)
            flash("Password changed. Every other device where you were logged in is logged out.",
                  "success")
            return redirect(url_for("study.settings"))
    return render_template("auth/password.html", form=form), (400 if form.errors else 200)


@bp.post("/account/sessions/revoke")
@login_required
def revoke_sessions():
    revoke_others(current_user)
    flash("Logged out everywhere else: only this browser is still logged in.", "success")
    return redirect(url_for("study.settings"))


# --- forgotten passwords -------------------------------------------------------------------

@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(_setting("RESET_RATELIMIT"), methods=["POST"], key_func=get_remote_address)
def reset_request():
    from .. import mail

    form = ResetRequestForm()
    by_mail = mail.configured()
    if by_mail and form.validate_on_submit():
        reset.email_reset_link(form.email.data)
        # The same answer whether or not the address has an account.
        flash("If an account uses that address, a link to choose a new password is on its way. "
              "It works for an hour.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form, by_mail=by_mail), \
        (400 if form.errors else 200)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = reset.user_for_token(token)
    if user is None:
        flash("That link has expired or was already used. Ask for a new one.", "error")
        return redirect(url_for("auth.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        problem = password_problem(form.password.data, user.email, user.display_name)
        if problem:
            form.password.errors.append(problem)
        else:
            reset.set_password(user, form.password.data)
            flash("Your new password is set. Log in with it.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, email=user.email), \
        (400 if form.errors else 200)
