"""Domain errors: what services raise instead of HTTP responses.

The web app turns them into pages or JSON (404, 403, 400), the CLI into messages, so a
service never needs to know which of them called it.
"""

from __future__ import annotations


class DomainError(Exception):
    """Something a caller asked for that cannot be done; the message says what."""

    status = 400


class NotFound(DomainError, LookupError):
    """No such thing, or not one this user may see (others' ids are not confirmed)."""

    status = 404


class Forbidden(DomainError):
    """The user may see this but not do that (a co-owner deleting the owner's set)."""

    status = 403


class Invalid(DomainError, ValueError):
    """Bad input; `problems` lists every reason, each naming the field."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))
