"""Throw-away PostgreSQL databases beside the TEST_DATABASE_URL one."""

from __future__ import annotations

import contextlib
import os
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from studyapp.config import normalise_db_url

TEST_DB_URL = os.environ.get("TEST_DATABASE_URL", "")
IS_PG = TEST_DB_URL.startswith(("postgres://", "postgresql"))


@contextlib.contextmanager
def fresh_pg_database():
    """Yield the URL of a new empty database; drop it afterwards."""
    base = make_url(normalise_db_url(TEST_DB_URL))
    name = f"{base.database}_tmp_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
