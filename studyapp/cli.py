"""The `studyapp` command line (also available as `flask --app studyapp ...`)."""

from __future__ import annotations

import glob
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup
from sqlalchemy import select

from .auth.accounts import create_account
from .extensions import db

DEMO_ACCOUNTS = (
    ("student@example.com", "student", "study-demo-1"),
    ("instructor@example.com", "instructor", "teach-demo-1"),
)

def _create_app(*_args, **_kwargs) -> Flask:
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True,
             set_debug_flag=False)
def main() -> None:
    """studyapp: quiz and flashcard study app."""


def register(app: Flask) -> None:
    # Commands that live beside the feature they belong to (generator, instructors, operations).
    from . import ops
    from .jobs import worker
    from .qgen.command import generate
    from .teach import commands as teach_commands

    for cmd in (create_user, reset_link, invite_instructor, instructor_requests,
                approve_instructor, load_banks_cmd, demo_accounts, generate,
                *teach_commands.commands, *worker.commands,
                *ops.commands):
        app.cli.add_command(cmd)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(["student", "instructor"]), default="student",
              show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="", help="Display name.")
def create_user(email: str, role: str, password: str, name: str) -> None:
    """Create an account."""
    from .auth.forms import email_problem
    from .auth.passwords import password_problem
    from .models import User

    problem = email_problem(email) or password_problem(password, email, name)
    if problem:
        raise click.ClickException(problem)
    if db.session.scalar(select(User).where(User.email == email.strip().lower())):
        raise click.ClickException(f"an account for {email} already exists")
    create_account(email, password, role, name)
    click.echo(f"created {role} {email.strip().lower()}")


@click.command("reset-link")
@click.argument("email")
@click.option("--base-url", default=None,
              help="The site's address for the link (default: PUBLIC_URL).")
def reset_link(email: str, base_url: str | None) -> None:
    """Print a link (valid for an hour, used once) with which EMAIL's owner chooses a new password."""
    from .auth import reset

    user = reset.account_for_email(email)
    if user is None:
        raise click.ClickException(f"no account uses {email}")
    base = (base_url or current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    click.echo(f"{base}{reset.reset_path(user)}")
    if not base:
        click.echo("(put the site's address in front, or set PUBLIC_URL)", err=True)
    click.echo(f"valid for {reset.MAX_AGE_S // 60} minutes, once; give it to {user.email} only",
               err=True)


@click.command("invite-instructor")
@click.argument("email")
@click.option("--base-url", default=None, help="The site's address (default: PUBLIC_URL).")
def invite_instructor(email: str, base_url: str | None) -> None:
    """Print an invitation code (and link) with which EMAIL registers as an instructor."""
    from .auth import instructors
    from .auth.forms import email_problem

    problem = email_problem(email)
    if problem:
        raise click.ClickException(problem)
    code = instructors.invitation_code(email)
    base = (base_url or current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    click.echo(code)
    click.echo(f"link: {base}/register?invite={code}")
    click.echo(f"for {email.strip().lower()} only, valid {instructors.INVITE_DAYS} days", err=True)


@click.command("instructor-requests")
def instructor_requests() -> None:
    """List the accounts waiting to be confirmed as instructors."""
    from .auth import instructors

    waiting = instructors.requests()
    for user in waiting:
        click.echo(f"{user.email}  {user.display_name or '-'}  asked {user.instructor_requested_at:%Y-%m-%d %H:%M} UTC")
    if not waiting:
        click.echo("no requests")


@click.command("approve-instructor")
@click.argument("email")
def approve_instructor(email: str) -> None:
    """Make EMAIL's account an instructor (whether or not it asked)."""
    from .auth import instructors, reset

    user = reset.account_for_email(email)
    if user is None:
        raise click.ClickException(f"no account uses {email}")
    instructors.approve(user)
    click.echo(f"{user.email} is now an instructor")


@click.command("load-banks")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def load_banks_cmd(files: tuple[Path, ...]) -> None:
    """Load question banks (default: questions/*.json), validated, idempotently."""
    from .bank import BankError, load_banks

    paths = list(files) or [Path(p) for p in sorted(glob.glob(str(Path(current_app.config["BANKS_DIR"]) / "*.json")))]
    if not paths:
        click.echo("no bank files found")
        return
    try:
        loaded = load_banks(paths)
    except BankError as exc:
        raise click.ClickException("bank rejected, nothing loaded:\n  " + "\n  ".join(exc.problems)) from exc
    for path, qset, result in loaded:
        click.echo(f"{path.name}: {qset.title!r}: {result}")


@click.command("demo-accounts")
def demo_accounts() -> None:
    """Create the demo student and instructor (kept if they exist) and print their logins."""
    from .models import User

    for email, role, password in DEMO_ACCOUNTS:
        if db.session.scalar(select(User).where(User.email == email)) is None:
            create_account(email, password, role, display_name=f"Demo {role}")
        click.echo(f"  {role:<10}  {email}  password: {password}")
