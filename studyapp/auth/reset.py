"""Password reset links: signed, valid for an hour, used once.

A link names the account and a digest of its session token; setting the new password
gives the account a new token, so the link (and every session) stops working after use.
E-mailed where mail is configured; otherwise `studyapp reset-link EMAIL` prints one for an
administrator to hand over.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from .. import mail
from ..extensions import db
from ..models import User
from .passwords import hash_password
from .sessions import revoke_all

MAX_AGE_S = 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="password-reset")


def _digest(user: User) -> str:
    return hashlib.sha256(user.session_token.encode()).hexdigest()[:20]


def make_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "t": _digest(user)})


def reset_path(user: User) -> str:
    return f"/reset-password/{make_token(user)}"


def user_for_token(token: str) -> User | None:
    """The account a still-valid, unused link is for; None for anything else."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_S)
        user_id, digest = int(data["u"]), str(data["t"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if not 0 < user_id <= 2**31 - 1:
        return None
    user = db.session.get(User, user_id)
    if user is None or not hmac.compare_digest(_digest(user), digest):
        return None
    return user


def account_for_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def email_reset_link(email: str) -> None:
    """Mail a link to the account with this address, if there is one; nothing otherwise."""
    user = account_for_email(email)
    if user is None:
        return
    url = current_app.config["PUBLIC_URL"] + reset_path(user)
    mail.send(user.email, "Choose a new studyapp password",
              f"Someone (we hope you) asked to choose a new password for {user.email}.\n\n"
              f"Open this link within the hour to choose it:\n{url}\n\n"
              "If it was not you, ignore this message: your password stays as it is.\n")


def set_password(user: User, password: str) -> None:
    """New password; every session and reset link issued before ends (committed)."""
    user.password_hash = hash_password(password)
    revoke_all(user)
