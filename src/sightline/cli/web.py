"""``sightline serve`` and ``sightline createuser``: the team web interface (docs/web.md)."""

from __future__ import annotations

import ipaddress
import os

import click

from sightline.cli.database import open_database
from sightline.cli.errors import CommandError

ROLE_NAMES = ("owner", "editor", "reviewer", "viewer")  # as sightline.webui.roles.ROLES
PASSWORD_ENV = "SIGHTLINE_PASSWORD"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def make_server(host: str, port: int):  # type: ignore[no-untyped-def]
    """A threaded WSGI server (Django's own, without runserver's reloader or static files)."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    from sightline.web.wsgi import application

    ipv6 = ":" in host
    server = ThreadedWSGIServer((host.strip("[]"), port), WSGIRequestHandler, ipv6=ipv6)
    server.set_app(application)
    return server


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
def serve_command(host: str, port: int) -> None:
    """Run the web interface for the team (loopback only unless --host says otherwise)."""
    open_database()
    from django.conf import settings

    if not _is_loopback(host):
        click.echo(
            f"Warning: listening on {host}, not loopback: put it behind HTTPS and use "
            "DJANGO_SETTINGS_MODULE=sightline.web.settings_production (docs/web.md).",
            err=True,
        )
        if host.strip("[]") not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append(host.strip("[]"))
    try:
        server = make_server(host, port)
    except OSError as error:
        raise CommandError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    bound_port = server.server_address[1]
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    click.echo(
        f"Sightline web interface on http://{shown}:{bound_port}/ (Ctrl-C to stop)", err=True
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.server_close()


@click.command("createuser")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLE_NAMES), help="What the user may do.")
@click.option("--email", default="", help="The user's e-mail address (optional).")
def createuser_command(name: str, role: str, email: str) -> None:
    """Create a web interface account NAME with ROLE; the password comes from
    SIGHTLINE_PASSWORD or is asked for (twice, hidden)."""
    open_database()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from sightline.webui.roles import set_role

    users = get_user_model()
    if not name.strip() or len(name) > 150:
        raise CommandError("a user name needs 1 to 150 characters")
    if users.objects.filter(username=name).exists():
        raise CommandError(f"user {name!r} already exists")
    password = os.environ.get(PASSWORD_ENV) or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True, err=True
    )
    candidate = users(username=name, email=email)
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        raise CommandError("password refused: " + " ".join(error.messages)) from None
    candidate.set_password(password)
    candidate.save()
    set_role(candidate, role)
    click.echo(f"Created user {name} ({role})")
