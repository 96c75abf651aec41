"""Who may become an instructor (INSTRUCTOR_SIGNUP), in one place.

Students register freely. Instructors can set anyone's study material and see their
classes' progress, and reading uploaded documents costs the server, so by default an
instructor account needs an administrator:

- `approval` (default): registering as an instructor makes a student account with a request;
  `studyapp approve-instructor EMAIL` grants it (`studyapp instructor-requests` lists them).
  An invitation code grants it at once.
- `invite`: an invitation code is needed; without one the form says how to get it.
- `open`: anyone may register as an instructor (a single teacher's own install).

Invitation codes come from `studyapp invite-instructor EMAIL`: signed, for that address
only, valid INVITE_DAYS. No table is needed: an address registers once.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from ..extensions import db
from ..models import User, utcnow

MODES = ("approval", "invite", "open")
INVITE_DAYS = 14


class SignupError(ValueError):
    pass


@dataclass(frozen=True)
class Signup:
    role: str        # the role the account gets now
    requested: bool  # an instructor role waits for an administrator


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="instructor-invite")


def mode() -> str:
    value = current_app.config.get("INSTRUCTOR_SIGNUP", "approval")
    if value not in MODES:
        raise RuntimeError(f"INSTRUCTOR_SIGNUP must be one of {', '.join(MODES)}, not {value!r}")
    return value


def invitation_code(email: str) -> str:
    return _serializer().dumps(email.strip().lower())


def invitation_valid(code: str, email: str) -> bool:
    try:
        invited = _serializer().loads(code.strip(), max_age=INVITE_DAYS * 86400)
    except BadSignature:
        return False
    return invited == email.strip().lower()


def signup(requested_role: str, email: str, code: str = "") -> Signup:
    """The role a new account gets, or SignupError saying what an instructor needs."""
    if requested_role != "instructor":
        return Signup("student", False)
    if mode() == "open" or (code and invitation_valid(code, email)):
        return Signup("instructor", False)
    if code:
        raise SignupError("That invitation code is not valid for this e-mail address, or it "
                          f"expired ({INVITE_DAYS} days). Ask the administrator for a new one.")
    if mode() == "invite":
        raise SignupError("Instructor accounts need an invitation code from this site's "
                          "administrator. Register as a student meanwhile, if you like.")
    return Signup("student", True)


def requests() -> list[User]:
    return list(db.session.scalars(select(User).where(User.instructor_requested_at.is_not(None))
                                   .order_by(User.instructor_requested_at)))


def approve(user: User) -> None:
    user.role = "instructor"
    user.instructor_requested_at = None
    db.session.commit()


def request_role(user: User) -> None:
    user.instructor_requested_at = utcnow()
    db.session.commit()
