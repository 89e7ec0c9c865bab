"""``sightline serve`` and ``sightline createuser``: the team web interface (docs/web.md)."""

from __future__ import annotations

import ipaddress
import signal
import ssl

import click

from sightline.cli.database import open_database
from sightline.cli.errors import CommandError
from sightline.config import Settings
from sightline.config import settings as sightline_settings

ROLE_NAMES = ("owner", "editor", "reviewer", "viewer")  # as sightline.webui.roles.ROLES


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def make_server(host: str, port: int, tls: ssl.SSLContext | None = None):  # type: ignore[no-untyped-def]
    """A threaded WSGI server (Django's own, without runserver's reloader or static files);
    with ``tls``, it speaks HTTPS."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    from sightline.web.wsgi import application

    class Handler(WSGIRequestHandler):
        def get_environ(self):  # type: ignore[no-untyped-def]
            environ = super().get_environ()
            if tls is not None:
                environ["HTTPS"] = "on"  # so Django knows the request came over HTTPS
            return environ

    ipv6 = ":" in host
    server = ThreadedWSGIServer((host.strip("[]"), port), Handler, ipv6=ipv6)
    if tls is not None:
        # The handshake happens in the request's own thread, so a client that never finishes
        # one holds up only itself.
        server.socket = tls.wrap_socket(
            server.socket, server_side=True, do_handshake_on_connect=False
        )
    server.set_app(application)
    return server


def tls_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(cert_file, key_file)
    except (OSError, ssl.SSLError):
        raise CommandError(
            f"cannot use SIGHTLINE_TLS_CERT_FILE {cert_file} with SIGHTLINE_TLS_KEY_FILE "
            f"{key_file}: give a PEM certificate and its private key"
        ) from None
    return context


def insecure_host_problem(host: str, current: Settings) -> str | None:
    """Why ``serve`` must not listen on ``host`` as configured (None: it may)."""
    if _is_loopback(host) or current.serves_tls:
        return None
    return (
        f"--host {host} is not a loopback address, and the connection would not be encrypted: "
        "set SIGHTLINE_TLS_CERT_FILE and SIGHTLINE_TLS_KEY_FILE (serve HTTPS here), "
        "or SIGHTLINE_TLS_PROXY=1 (an HTTPS proxy in front)"
    )


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
def serve_command(host: str, port: int) -> None:
    """Run the web interface for the team (loopback only unless --host says otherwise).

    Another address needs HTTPS: SIGHTLINE_TLS_CERT_FILE and SIGHTLINE_TLS_KEY_FILE, or
    SIGHTLINE_TLS_PROXY=1 behind an HTTPS proxy (docs/settings.md)."""
    current = sightline_settings()
    problem = insecure_host_problem(host, current)
    if problem:
        raise CommandError(problem)
    tls = (
        tls_context(current.tls_cert_file, current.tls_key_file) if current.tls_cert_file else None
    )
    open_database()
    from django.conf import settings

    if not _is_loopback(host) and host.strip("[]") not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS.append(host.strip("[]"))
    try:
        server = make_server(host, port, tls)
    except OSError as error:
        raise CommandError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    bound_port = server.server_address[1]
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    scheme = "https" if tls else "http"
    click.echo(
        f"Sightline web interface on {scheme}://{shown}:{bound_port}/ (Ctrl-C to stop)", err=True
    )
    # SIGTERM (systemd, a container stopping) ends it as Ctrl-C does: cleanly, exit status 0.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
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
    password = sightline_settings().password or click.prompt(
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
