"""Passwords: Argon2id hashing with configurable cost, and what a password must not be.

The policy follows NIST SP 800-63B (5.1.1.2): at least 8 characters, long passphrases
welcome, no composition rules, but no password that is commonly used, guessable, or made
of the account's own e-mail or name. zxcvbn (a maintained port of Dropbox's estimator,
with its own lists of common passwords, words and names) judges the last part offline.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from zxcvbn import zxcvbn

from ..config import AUTH_DEFAULTS

MIN_PASSWORD = 8
MAX_PASSWORD = 200
# zxcvbn's score 0-4; below 2 means guessable within about a million tries.
MIN_STRENGTH = 2
_ZXCVBN_MAX = 72  # zxcvbn's own input limit; a longer password is judged by its start
APP_WORDS = ("studyapp", "study", "quiz", "flashcard")


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """What is wrong with this password for this account, or None."""
    if len(password) < MIN_PASSWORD:
        return f"The password must be at least {MIN_PASSWORD} characters long."
    if len(password) > MAX_PASSWORD:
        return f"The password must be at most {MAX_PASSWORD} characters long."
    context = [w for w in (email, email.split("@")[0], *name.split(), *APP_WORDS) if w]
    if password.strip().lower() in {w.lower() for w in context}:
        return "The password must not be your e-mail address or name."
    verdict = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=context)
    if verdict["score"] < MIN_STRENGTH:
        hint = verdict["feedback"].get("warning") or "it is too easy to guess"
        return (f"That password is too common or easy to guess ({hint.rstrip('.')}). "
                "A few unrelated words make a strong one that is easy to remember.")
    return None


def _params() -> tuple[int, int, int]:
    cfg = current_app.config if has_app_context() else {}
    return tuple(int(cfg.get(k) or AUTH_DEFAULTS[k])
                 for k in ("ARGON2_MEMORY_KIB", "ARGON2_TIME_COST", "ARGON2_PARALLELISM"))


@lru_cache(maxsize=8)
def _hasher(memory_kib: int, time_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(memory_cost=memory_kib, time_cost=time_cost, parallelism=parallelism)


@lru_cache(maxsize=8)
def _dummy_hash(params: tuple[int, int, int]) -> str:
    return _hasher(*params).hash("no account has this password")


def hash_password(password: str) -> str:
    return _hasher(*_params()).hash(password)


def check_password(stored_hash: str | None, password: str) -> bool:
    """Whether the password matches. With no hash (no such account) a dummy hash made with the
    same parameters is checked instead, so an unknown e-mail costs the same time as a known one."""
    try:
        if stored_hash is None:
            _hasher(*_params()).verify(_dummy_hash(_params()), password)
            return False
        return _hasher(*_params()).verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Made with other parameters than the configured ones (re-hashed at the next login)."""
    try:
        return _hasher(*_params()).check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
