"""Operations: copy the database elsewhere (SQLite → PostgreSQL), back it up, restore it.

One copy routine does all three. It reads the source in one consistent snapshot
(PostgreSQL: a REPEATABLE READ read-only transaction; SQLite: a copy taken with the
sqlite3 backup API), writes the target table by table in foreign-key order in batches,
keeping every id, in ONE transaction (an error leaves the target as it was), resets
PostgreSQL's id sequences, then checks the row counts.

A backup is a SQLite file with the same schema (made by the migrations) and the
alembic revision it came from, so it can be opened with any SQLite tool and restored
into SQLite or PostgreSQL alike.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import Connection, Engine, create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

from .config import normalise_db_url
from .extensions import db

BATCH = 1000
SQLITE_MAGIC = b"SQLite format 3\x00"


class OpsError(click.ClickException):
    """A refused operation; nothing was changed."""


def tables():
    """Every table of the app, parents before children (the order inserts need)."""
    from . import models  # noqa: F401  (all tables registered on the metadata)

    return list(db.metadata.sorted_tables)


def _sqlite_path(engine_or_url) -> str | None:
    url = make_url(str(engine_or_url.url) if isinstance(engine_or_url, Engine) else engine_or_url)
    if url.get_backend_name() != "sqlite":
        return None
    return url.database or ":memory:"


def _new_engine(url: str) -> Engine:
    url = normalise_db_url(url)
    opts = {}
    if url.startswith("postgresql"):
        opts["connect_args"] = {"options": "-c timezone=utc"}
    return create_engine(url, **opts)


def migrate_to_head(url: str) -> None:
    """Create the schema on `url` with the migrations (alembic upgrade on that database)."""
    import flask_migrate

    from . import create_app

    target_app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_db_url(url)})
    with target_app.app_context(), warnings.catch_warnings():
        # migrations/env.py (Flask-Migrate's template) still calls db.get_engine().
        warnings.filterwarnings("ignore", message=".*get_engine.*", category=DeprecationWarning)
        flask_migrate.upgrade()
        db.session.remove()
        db.engine.dispose()


def _has_schema(engine: Engine) -> bool:
    names = set(inspect(engine).get_table_names())
    return all(t.name in names for t in tables())


def _revision(conn: Connection) -> str | None:
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def counts(conn: Connection) -> dict[str, int]:
    return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables()}


@contextlib.contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection that sees one consistent state of `engine`'s database while the app runs."""
    path = _sqlite_path(engine)
    if path is None:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, \
                conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SET TRANSACTION READ ONLY"))
            yield conn
        return
    # SQLite: the backup API copies a consistent image even while workers write (WAL).
    with tempfile.TemporaryDirectory(prefix="studyapp-snap-") as tmp:
        copy = os.path.join(tmp, "snapshot.db")
        sqlite_backup(engine, copy)
        snap = create_engine(f"sqlite:///{copy}")
        try:
            with snap.connect() as conn:
                yield conn
        finally:
            snap.dispose()


def sqlite_backup(engine: Engine, dest: str) -> None:
    """Copy a SQLite database with sqlite3's online backup API (consistent, non-blocking)."""
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(dest)
        try:
            raw.driver_connection.backup(target)
        finally:
            target.close()
    finally:
        raw.close()


def copy_rows(src: Connection, dst: Connection, *, replace: bool, echo=None) -> dict[str, int]:
    """Copy every table from src to dst inside dst's open transaction; returns source counts."""
    if replace:
        for t in reversed(tables()):
            dst.execute(t.delete())
    copied: dict[str, int] = {}
    for t in tables():
        order = list(t.primary_key.columns)
        n = 0
        result = src.execute(select(t).order_by(*order).execution_options(yield_per=BATCH))
        for part in result.partitions(BATCH):
            dst.execute(t.insert(), [dict(row._mapping) for row in part])
            n += len(part)
        copied[t.name] = n
        if echo:
            echo(f"  {t.name:<16} {n:>8} rows")
    if dst.dialect.name == "postgresql":
        reset_sequences(dst)
    return copied


def reset_sequences(conn: Connection) -> None:
    """After inserting explicit ids, make the next generated id follow the largest one."""
    for t in tables():
        pk = list(t.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        col = pk[0].name
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                           {"t": t.name, "c": col}).scalar()
        if seq:
            conn.execute(text(f'SELECT setval(:s, COALESCE((SELECT MAX("{col}") FROM "{t.name}"), 1), '
                              f'(SELECT MAX("{col}") FROM "{t.name}") IS NOT NULL)'), {"s": seq})


def _describe(url: str) -> str:
    return make_url(normalise_db_url(url)).render_as_string(hide_password=True)


def copy_database(source: Engine, target_url: str, *, force: bool = False, echo=None) -> dict[str, int]:
    """Copy everything from `source` into the database at `target_url` (schema by migration)."""
    target = _new_engine(target_url)
    try:
        if str(target.url) == str(source.url):
            raise OpsError("the target is the database being copied")
        if not _has_schema(target):
            if echo:
                echo(f"creating the schema on {_describe(target_url)} (migrations)")
            migrate_to_head(target_url)
        with snapshot(source) as src, target.begin() as dst:
            existing = {k: v for k, v in counts(dst).items() if v}
            if existing and not force:
                held = ", ".join(f"{k}={v}" for k, v in existing.items())
                raise OpsError(f"the target already holds data ({held}); nothing copied. "
                               "Use --force to replace it.")
            expected = counts(src)
            copy_rows(src, dst, replace=bool(existing), echo=echo)
            got = counts(dst)
            if got != expected:
                diff = {k: (expected[k], got.get(k)) for k in expected if expected[k] != got.get(k)}
                raise OpsError(f"row counts differ after the copy, rolled back: {diff}")
        return expected
    finally:
        target.dispose()


def check_backup_file(path: Path) -> None:
    """Refuse (changing nothing) a file that is not a readable studyapp backup."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise OpsError(f"{path}: cannot read: {exc.strerror or exc}; nothing restored") from exc
    if head != SQLITE_MAGIC:
        raise OpsError(f"{path}: not a studyapp backup (not a SQLite database); nothing restored")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            for t in tables():
                if t.name not in names:
                    raise OpsError(f"{path}: not a studyapp backup (no table {t.name!r}); "
                                   "nothing restored")
                cols = {r[1] for r in conn.execute(f'PRAGMA table_info("{t.name}")')}
                missing = [c.name for c in t.columns if c.name not in cols]
                if missing:
                    raise OpsError(f"{path}: table {t.name!r} lacks columns {missing} "
                                   "(a backup from another version?); nothing restored")
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise OpsError(f"{path}: damaged or not a SQLite database ({exc}); nothing restored") from exc
    if ok != "ok":
        raise OpsError(f"{path}: damaged ({ok}); nothing restored")


def _print_counts(title: str, n: dict[str, int]) -> None:
    click.echo(title)
    for name, count in n.items():
        click.echo(f"  {name:<16} {count:>8}")
    click.echo(f"  {'total':<16} {sum(n.values()):>8}")


@click.command("copy-db")
@click.option("--to", "to_url", required=True, metavar="URL",
              help="Target database, e.g. postgresql://user@host/studyapp")
@click.option("--force", is_flag=True, help="Replace data the target already holds.")
@with_appcontext
def copy_db_cmd(to_url: str, force: bool) -> None:
    """Copy every row from this database (DATABASE_URL) to another, keeping ids."""
    click.echo(f"copying {_describe(str(db.engine.url))} -> {_describe(to_url)}")
    copied = copy_database(db.engine, to_url, force=force, echo=click.echo)
    _print_counts("verified row counts (source = target):", copied)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@with_appcontext
def backup_cmd(file: Path, force: bool) -> None:
    """Write a consistent snapshot of the database to FILE (a SQLite file), while the app runs."""
    if file.exists() and not force:
        raise OpsError(f"{file} exists; use --force to overwrite it")
    # Written beside FILE, renamed at the end: an interrupted backup never looks complete.
    partial = file.with_name(file.name + ".partial")
    partial.unlink(missing_ok=True)
    # Owner-only from the first byte: a backup holds every password hash. SQLite fills the
    # empty file and gives its journal the same mode.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        if _sqlite_path(db.engine) is not None:
            sqlite_backup(db.engine, str(partial))
            eng = create_engine(f"sqlite:///{partial}")
            with eng.connect() as conn:
                n = counts(conn)
            eng.dispose()
        else:
            n = copy_database(db.engine, f"sqlite:///{partial.resolve()}")
        os.replace(partial, file)
    finally:
        partial.unlink(missing_ok=True)
    _print_counts(f"backup written to {file}:", n)


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the current data without asking.")
@with_appcontext
def restore_cmd(file: Path, yes: bool) -> None:
    """Replace the database's contents with a backup FILE (all or nothing)."""
    check_backup_file(file)
    engine = db.engine
    db.session.remove()
    if not _has_schema(engine):
        migrate_to_head(current_app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as conn:
        held = sum(counts(conn).values())
    if held and not yes:
        click.confirm(f"The database holds {held} rows; replace them with {file}?", abort=True)
    with tempfile.TemporaryDirectory(prefix="studyapp-restore-") as tmp:
        # Read from a private copy: the backup file itself is never opened for writing.
        copy = os.path.join(tmp, "backup.db")
        shutil.copyfile(file, copy)
        src_engine = create_engine(f"sqlite:///{copy}")
        try:
            with src_engine.connect() as src, engine.begin() as dst:
                expected = counts(src)
                copy_rows(src, dst, replace=True)
                got = counts(dst)
                if got != expected:
                    raise OpsError(f"row counts differ after the restore, rolled back: {got} != {expected}")
        finally:
            src_engine.dispose()
    _print_counts(f"restored {file}:", expected)


commands = [copy_db_cmd, backup_cmd, restore_cmd]


# --- A test-only fault-injection hook -------------------------------------------------------
# With STUDYAPP_TEST_PAUSE_IN=review (or import) the process sleeps inside the transaction,
# right after the first flush that wrote a review log (or questions), having written its pid
# to STUDYAPP_TEST_PAUSE_FILE (once: not again while that file exists). tests/system kills it
# there with SIGKILL and checks that the database holds all of the write or none of it.
# Unset (always, in production) it installs nothing.

_pause_installed = False


def install_test_pause_hook() -> None:
    global _pause_installed
    what = os.environ.get("STUDYAPP_TEST_PAUSE_IN")
    if not what or _pause_installed:
        return
    _pause_installed = True
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from .models import Question, ReviewLog

    watched = {"review": ReviewLog, "import": Question}[what]
    seconds = float(os.environ.get("STUDYAPP_TEST_PAUSE_SECONDS", "30"))
    marker = os.environ.get("STUDYAPP_TEST_PAUSE_FILE")

    @event.listens_for(Session, "after_flush")
    def _pause(session, flush_context):
        if marker and Path(marker).exists():
            return  # paused once already: the retry after the crash goes through
        if any(isinstance(o, watched) for o in list(session.new) + list(session.dirty)):
            if marker:
                Path(marker).write_text(str(os.getpid()))
            import time

            time.sleep(seconds)
