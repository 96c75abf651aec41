"""Every Flask extension object, created once and bound in create_app()."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()


def rate_limit_key() -> str:
    """A logged-in user is counted per account, so a school behind one NAT address is not
    throttled as one client; anonymous requests (login, register) per client address."""
    from flask_login import current_user

    if current_user and current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


# Limits are opt-in per view (login, register, API); storage comes from RATELIMIT_STORAGE_URI,
# so several gunicorn workers share their counts through Redis.
limiter = Limiter(key_func=rate_limit_key, default_limits=[])
