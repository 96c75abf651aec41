"""One service call, one transaction: `@commits` on the functions views and commands call.

The outermost decorated call commits when it returns and rolls back when it raises, so a
service built from others (an import creating its set) is still all or nothing, and views
never commit.
"""

from __future__ import annotations

import functools
from contextvars import ContextVar

from .extensions import db

_depth: ContextVar[int] = ContextVar("unit_of_work_depth", default=0)


def commits(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        token = _depth.set(_depth.get() + 1)
        outermost = token.old_value in (0, token.MISSING)
        try:
            result = fn(*args, **kwargs)
            if outermost:
                db.session.commit()
            return result
        except BaseException:
            if outermost:
                db.session.rollback()
            raise
        finally:
            _depth.reset(token)
    return wrapper
