"""``flask --app survey ...`` commands."""

import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from . import passwords
from .demo import open_session_with_room, seed_group
from .extensions import db
from .models import Facilitator, Group
from .questionnaire.cli import questionnaires_cli
from .services import ServiceError, accounts, api_tokens, lifecycle
from .urls import public_url

DEMO_EMAIL = "demo@praxis.example"


def _validate_password(ctx, _param, value: str) -> str:
    """Refused passwords are asked for again when prompted (the email is known: it is eager)."""
    reason = value is not None and passwords.problem(value, ctx.params.get("email", ""))
    if reason:
        raise click.BadParameter(reason)
    return value


@click.command("create-facilitator")
@click.argument("email", is_eager=True)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    callback=_validate_password,
    help="Asked for when omitted, so it stays out of the shell history.",
)
@click.option("--name", default="", help="Display name.")
@click.option("--locale", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@with_appcontext
def create_facilitator(email: str, password: str, name: str, locale: str) -> None:
    """Create a facilitator account."""
    email = email.strip().lower()
    if "@" not in email:
        raise click.BadParameter("this is not an email address.", param_hint="EMAIL")
    if db.session.scalar(select(Facilitator.id).where(Facilitator.email == email)):
        raise click.ClickException(f"a facilitator with the address {email} already exists.")
    facilitator = Facilitator(email=email, display_name=name, locale=locale)
    facilitator.set_password(password)
    db.session.add(facilitator)
    db.session.commit()
    click.echo(f"Facilitator {email} created.")


@click.command("reset-password")
@click.argument("email")
@with_appcontext
def reset_password(email: str) -> None:
    """Print a one-time link, valid one hour, to choose a new password (no mail server needed:
    give the link to the person yourself)."""
    facilitator = accounts.by_email(email)
    if facilitator is None:
        raise click.ClickException(f"no facilitator has the address {email.strip().lower()}.")
    base = current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000"
    with current_app.test_request_context(base_url=base):
        link = public_url("facilitator.reset_password", token=accounts.reset_token(facilitator))
    click.echo(f"One-time link for {facilitator.email}, valid one hour:\n{link}")
    if not current_app.config.get("PUBLIC_URL"):
        click.echo(
            "(SURVEY_PUBLIC_URL is not set: replace the address with your site's if needed.)"
        )


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
@with_appcontext
def create_token(email: str, name: str) -> None:
    """Create an API token for a facilitator and print it (it is shown this once only)."""
    facilitator = accounts.by_email(email)
    if facilitator is None:
        raise click.ClickException(f"no facilitator has the address {email.strip().lower()}.")
    try:
        token, secret = api_tokens.create(facilitator, name)
    except ServiceError as refused:
        raise click.ClickException(str(refused)) from refused
    db.session.commit()
    click.echo(f"API token “{token.name}” for {facilitator.email} (shown once, keep it secret):")
    click.echo(secret)


@click.command("purge")
@click.option("--yes", is_flag=True, help="Delete for real (without it: only say what would go).")
@with_appcontext
def purge(yes: bool) -> None:
    """Delete the answers of sessions older than their group's retention period."""
    due = lifecycle.expired()
    if not due:
        click.echo("Nothing to delete: no session is past its group's retention period.")
        return
    click.echo("Sessions past their group's retention period (their answers go; titles, dates")
    click.echo("and outcomes stay):")
    for entry in due:
        meeting = entry.meeting
        click.echo(
            f"  {meeting.group.name} — {meeting.title} ({meeting.date:%Y-%m-%d}, kept "
            f"{meeting.group.retention_months} months): {entry.responses} responses, "
            f"{entry.drafts} unsent questionnaires"
        )
    if not yes:
        click.echo("Dry run: nothing deleted. Run again with --yes to delete them.")
        return
    deleted = lifecycle.purge(due)
    db.session.commit()
    click.echo(f"Deleted {deleted} responses from {len(due)} sessions.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    """Write a consistent copy of the SQLite database to PATH and check it."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise click.ClickException(
            "backup copies a SQLite database file; for PostgreSQL use pg_dump (see README)."
        )
    try:
        result = lifecycle.backup_sqlite(url.database, path)
    except ServiceError as error:
        raise click.ClickException(str(error)) from error
    if result != "ok":
        raise click.ClickException(f"the copy in {path} failed its integrity check: {result}")
    click.echo(f"Copied to {path} (integrity check: ok).")


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Create (or refresh) the demo facilitator, its group, and an open session with room left."""
    facilitator = db.session.scalar(select(Facilitator).where(Facilitator.email == DEMO_EMAIL))
    if facilitator is None:
        facilitator = Facilitator(email=DEMO_EMAIL, display_name="Camille Démo", locale="fr")
        db.session.add(facilitator)
    password = secrets.token_urlsafe(9)
    facilitator.set_password(password)
    db.session.flush()

    group = db.session.scalar(
        select(Group).where(Group.owner_id == facilitator.id).order_by(Group.id).limit(1)
    )
    if group is None:
        group = seed_group(facilitator)
    # Earlier tries may have filled the open session (or closed it): the printed code must work.
    open_meeting = open_session_with_room(group)
    db.session.commit()

    click.echo("Demo facilitator ready:")
    click.echo(f"  email:    {DEMO_EMAIL}")
    click.echo(f"  password: {password}")
    click.echo(f"Open demo session, join code: {open_meeting.join_code}")


def init_app(app: Flask) -> None:
    app.cli.add_command(create_facilitator)
    app.cli.add_command(demo)
    app.cli.add_command(reset_password)
    app.cli.add_command(create_token)
    app.cli.add_command(purge)
    app.cli.add_command(backup)
    app.cli.add_command(questionnaires_cli)
