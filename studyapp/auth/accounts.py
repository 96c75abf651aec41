"""Creating accounts: the one function the register form, the CLI and the tests share."""

from ..extensions import db
from ..models import User
from .passwords import hash_password


def create_account(email: str, password: str, role: str, display_name: str = "") -> User:
    user = User(email=email.strip().lower(), password_hash=hash_password(password), role=role,
                display_name=display_name)
    db.session.add(user)
    db.session.commit()
    return user
