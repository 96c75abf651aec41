"""Settings read from the environment, with local defaults kept in instance/."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/.

    Generating it once (rather than per start) keeps sessions valid across restarts
    and across gunicorn workers, without a hard-coded fallback secret.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def normalise_db_url(url: str) -> str:
    """Accept the common `postgres://` / `postgresql://` spellings and use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def from_env(instance_path: Path) -> dict:
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'studyapp.db'}"
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": normalise_db_url(db_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", "8")) * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": os.environ.get("RATELIMIT_ENABLED", "1") != "0",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis down: count per worker in memory rather than fail every limited request.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "API_RATELIMIT": os.environ.get("API_RATELIMIT", "600 per minute"),
        # https: Secure cookies (studyapp/security.py); BEHIND_PROXY=N trusts N proxy hops.
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME", "http"),
        "BEHIND_PROXY": int(os.environ.get("BEHIND_PROXY", "0") or 0),
        "BANKS_DIR": os.environ.get("BANKS_DIR", str(Path.cwd() / "questions")),
        **auth_settings(),
        **{name: _env(name, default) for name, default in GENERATION_DEFAULTS.items()},
        **jobs_settings(),
        # Password-reset e-mails: sent only when MAIL_SERVER and PUBLIC_URL are both set (links
        # are built from PUBLIC_URL, never from the request's Host header). Otherwise an
        # administrator makes a reset link with `studyapp reset-link EMAIL`.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "").rstrip("/"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT") or 587),
        "MAIL_STARTTLS": os.environ.get("MAIL_STARTTLS", "1") != "0",
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "studyapp@localhost"),
    }


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


# Defaults written out once: docs/deployment.md lists the same values (a test compares them).
AUTH_DEFAULTS = {
    # Failed logins only (a right password never counts): a class behind one school address
    # can mistype 30 times in 10 minutes; spraying guesses across accounts gets 3 a minute.
    "LOGIN_FAILURES_PER_ADDRESS": "30 per 10 minutes",
    # Failed logins for one e-mail address from one client address.
    "LOGIN_FAILURES_PER_ACCOUNT": "10 per 10 minutes",
    # Every login request from one address, right or wrong (each costs a password hash).
    "LOGIN_RATELIMIT": "200 per minute",
    # New accounts from one address: a class of 30 registering in its first lesson fits.
    "REGISTER_RATELIMIT": "60 per hour",
    # Password-reset requests from one address.
    "RESET_RATELIMIT": "10 per hour",
    "REMEMBER_DAYS": "30",
    # Who may become an instructor: approval | invite | open (studyapp/auth/instructors.py).
    "INSTRUCTOR_SIGNUP": "approval",
    # OWASP's Argon2id minimum (19 MiB, 2 passes, 1 lane): see docs/deployment.md for the
    # trade-off between a login rush and an offline attack on stolen hashes.
    "ARGON2_MEMORY_KIB": "19456",
    "ARGON2_TIME_COST": "2",
    "ARGON2_PARALLELISM": "1",
}


# Question generation from uploads (studyapp/generation.py, teach/jobs.py): a long chapter
# or a short book fits; a document built to be slow to read is stopped.
GENERATION_DEFAULTS = {
    "GENERATION_SECONDS": "120",       # wall clock for reading one upload and writing questions
    "GENERATION_MEMORY_MB": "1024",    # memory of the process that does it
    "GENERATION_MAX_PAGES": "300",
    "GENERATION_MAX_CHARS": "1500000",  # characters of extracted text
    "GENERATION_JOBS": "2",            # documents read at once on this machine
    "GENERATION_JOBS_PER_USER": "1",   # documents one instructor may have waiting or being read
}


# The job queue (studyapp/jobs): RQ over Redis when REDIS_URL is set (run `studyapp worker`,
# which `make serve` starts), else a pool of threads inside each web process.
JOBS_DEFAULTS = {
    "REDIS_URL": "",                 # redis://host:6379/0: jobs go to RQ workers
    "JOBS_BACKEND": "",              # rq | inprocess; empty: rq when REDIS_URL is set
    "JOBS_QUEUE": "studyapp",        # the RQ queue's name
    "JOB_WORKERS": "2",              # jobs run at once by one `studyapp worker` (or web process)
    "JOBS_LEASE_SECONDS": "30",      # a running job silent this long is taken up again
    "JOBS_MAX_ATTEMPTS": "3",        # runs of one job cut short by a crash before it fails
    "JOBS_KEEP_DAYS": "7",           # finished jobs (and their files) are deleted after this
    "IMPORT_INLINE_MAX_KB": "100",   # bigger uploads are imported by a job
    "EXPORT_INLINE_MAX_QUESTIONS": "1000",  # bigger sets are exported by a job (web pages)
}


def jobs_settings() -> dict:
    out = {name: _env(name, default) for name, default in JOBS_DEFAULTS.items()}
    for name in ("JOB_WORKERS", "JOBS_LEASE_SECONDS", "JOBS_MAX_ATTEMPTS", "JOBS_KEEP_DAYS",
                 "IMPORT_INLINE_MAX_KB", "EXPORT_INLINE_MAX_QUESTIONS"):
        out[name] = int(out[name])
    return out


def auth_settings() -> dict:
    out = {name: _env(name, default) for name, default in AUTH_DEFAULTS.items()}
    for name in ("REMEMBER_DAYS", "ARGON2_MEMORY_KIB", "ARGON2_TIME_COST", "ARGON2_PARALLELISM"):
        out[name] = int(out[name])
    return out
