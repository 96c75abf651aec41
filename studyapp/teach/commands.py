"""`studyapp import` and `studyapp export`: the web's import/export from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import select

from ..extensions import db
from ..interchange import FORMATS, IMPORTABLE
from ..models import QuestionSet, User


def _find_set(title: str, owner: User | None) -> QuestionSet | None:
    stmt = select(QuestionSet).where(QuestionSet.title == title)
    if owner is not None:
        stmt = stmt.where(QuestionSet.owner_id == owner.id)
    found = list(db.session.scalars(stmt.order_by(QuestionSet.id)))
    if len(found) > 1:
        raise click.ClickException(f"{len(found)} sets are titled {title!r}: add --owner to pick one")
    return found[0] if found else None


def _owner(email: str | None) -> User | None:
    if not email:
        return None
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no account uses {email!r}")
    if not user.is_instructor:
        raise click.ClickException(f"{email} is not an instructor")
    return user


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--set", "title", required=True, help="Title of the set to import into (created if missing).")
@click.option("--owner", help="E-mail of the instructor who owns the set.")
@click.option("--format", "fmt", type=click.Choice([f.name for f in IMPORTABLE]),
              help="File format (default: from the extension: "
                   + ", ".join("/".join(f.suffixes) for f in IMPORTABLE) + ").")
@click.option("--draft", is_flag=True, help="Create a new set as a draft rather than published.")
@click.option("--partial", is_flag=True,
              help="Import the valid questions and list those left out (default: all or nothing).")
def import_cmd(file: Path, title: str, owner: str | None, fmt: str | None, draft: bool,
               partial: bool) -> None:
    """Import questions from a file in one of the interchange formats (all or nothing unless
    --partial)."""
    from .service import TeachError, import_file

    user = _owner(owner)
    qset = _find_set(title, user)
    try:
        outcome = import_file(user, file.read_bytes(), file.name, fmt=fmt, qset=qset, title=title,
                              status="draft" if draft else "published", partial=partial)
    except TeachError as exc:
        raise click.ClickException(f"{file.name} rejected, nothing imported:\n  "
                                   + "\n  ".join(exc.problems)) from exc
    verb = "created" if outcome.created_set else "updated"
    click.echo(f"{file.name}: {verb} set {outcome.qset.title!r} (id {outcome.qset.id}, "
               f"{outcome.qset.status}): {outcome.result}")
    if outcome.left_out:
        click.echo(f"{len(outcome.left_out)} problems, these questions were left out:\n  "
                   + "\n  ".join(outcome.left_out))


@click.command("export")
@click.option("--set", "title", required=True, help="Title of the set to export.")
@click.option("--owner", help="E-mail of the owner, when several sets share the title.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write ('-' for standard output, except apkg).")
def export_cmd(title: str, owner: str | None, fmt: str, out: Path) -> None:
    """Export a set in one of the interchange formats (CSV, GIFT, bank JSON, Anki deck)."""
    from .service import export_set

    qset = _find_set(title, _owner(owner))
    if qset is None:
        raise click.ClickException(f"no set is titled {title!r}")
    data = export_set(qset, fmt).data
    if str(out) == "-":
        if not FORMATS[fmt].media_type.startswith(("text/", "application/json")):
            raise click.ClickException(f"{FORMATS[fmt].label} is binary: give a file name with --out")
        click.echo(data.decode("utf-8"), nl=False)
        return
    out.write_bytes(data)
    n = sum(not q.retired for q in qset.questions)
    click.echo(f"wrote {n} questions of {qset.title!r} to {out} ({fmt})", err=True)


commands = [import_cmd, export_cmd]
