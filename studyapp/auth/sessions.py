"""Sessions that can be revoked, with no statement beyond the user row loaded anyway.

Flask-Login writes `User.get_id()` — "<id>:<session token>" — into the signed session cookie
and, when asked to, into the remember-me cookie. Loading the user compares the cookie's
token with the row's: one new token (logout, a password change, "log out everywhere")
turns every cookie issued before it, copied or not, into an anonymous visitor. Cookies are
not stored on the server, so there is no revoking one device alone: logging out ends the
account's sessions everywhere, and "log out everywhere else" keeps only the current one.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

from flask import current_app, request, session
from flask_login import login_user, logout_user

from ..extensions import db
from ..models import User, new_session_token


def user_for_cookie(cookie_id: str) -> User | None:
    """Flask-Login's user_loader: the user whose id and current token the cookie carries."""
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token or int(user_id) > 2**31 - 1:
        return None  # includes cookies from before tokens existed: they log in again
    user = db.session.get(User, int(user_id))
    if user is None or not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def log_in(user: User, remember: bool) -> None:
    """Start a session; with `remember`, a remember-me cookie for REMEMBER_DAYS as well."""
    login_user(user, remember=remember,
               duration=timedelta(days=current_app.config["REMEMBER_DAYS"]) if remember else None)


def revoke_all(user: User) -> None:
    """Every session and remember-me cookie of this account stops working (committed)."""
    user.session_token = new_session_token()
    db.session.commit()


def log_out(user: User) -> None:
    # A shared computer: nothing of this user's session (pending messages included) survives.
    # Cleared before logout_user(), which then marks the remember-me cookie for deletion.
    revoke_all(user)
    session.clear()
    logout_user()


def revoke_others(user: User) -> None:
    """Every other device is logged out; this browser stays in, remembered if it was."""
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    revoke_all(user)
    log_in(user, remember=remembered)
