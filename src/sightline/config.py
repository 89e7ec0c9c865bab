"""Sightline's configuration, read from the environment once per process (docs/settings.md).

Every ``SIGHTLINE_*`` variable (and ``DATABASE_URL``) is read here and nowhere else, into one
:class:`Settings` object; the core, the command line, the worker and the web settings all take
it from :func:`settings`. A process reads the environment the first time it asks; tests that
change the environment call :func:`reload_settings`.

The Django secret key is the one value that is also kept on disk: ``SIGHTLINE_SECRET_KEY`` when
set, else ``SIGHTLINE_HOME/secret_key``, written on first use with owner-only permissions (0600)
and reused by every later process (:func:`secret_key`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sightline.errors import SightlineError

DEFAULT_HOME = "sightline-data"
SECRET_KEY_FILE = "secret_key"
# Django's own check (security.W009) asks for at least 50 characters and 5 distinct ones.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 5


class SettingsError(SightlineError, ValueError):
    """A setting that is missing or cannot be used; the message names the variable to set."""


@dataclass(frozen=True)
class Settings:
    """Every setting of a Sightline process. Empty strings mean "not set"."""

    home: Path
    database_url: str | None
    secret_key: str  # SIGHTLINE_SECRET_KEY as given ("" when unset: see secret_key())
    debug: bool
    allowed_hosts: tuple[str, ...]
    smtp_url: str
    smtp_password: str
    imap_url: str
    imap_password: str
    tls_ca_file: str  # an extra CA bundle for the SMTP and IMAP servers' certificates
    tls_cert_file: str  # `sightline serve` speaks HTTPS itself with this certificate ...
    tls_key_file: str  # ... and this private key
    tls_proxy: bool  # an HTTPS proxy in front of `sightline serve` sets X-Forwarded-Proto
    reply_domain: str
    reviewer: str
    password: str  # the new user's password for `sightline createuser`
    workers: int | None  # document reader processes; None: one per CPU (at most 8)
    proxy_hops: int  # trusted proxies in front (production): client address from X-Forwarded-For

    @property
    def secret_key_file(self) -> Path:
        return self.home / SECRET_KEY_FILE

    @property
    def serves_tls(self) -> bool:
        """HTTPS reaches the browser: `serve` has a certificate, or a proxy terminates TLS."""
        return bool(self.tls_cert_file and self.tls_key_file) or self.tls_proxy


def _flag(environ: Mapping[str, str], name: str) -> bool:
    value = environ.get(name, "").strip().lower()
    if value in ("", "0", "no", "false", "off"):
        return False
    if value in ("1", "yes", "true", "on"):
        return True
    raise SettingsError(f"{name} must be 1 or 0, not {value!r}")


def _proxy_hops(environ: Mapping[str, str]) -> int:
    value = environ.get("SIGHTLINE_PROXY_HOPS", "").strip()
    if not value:
        return 1
    if not value.isdigit() or int(value) > 10:
        raise SettingsError(f"SIGHTLINE_PROXY_HOPS must be a number from 0 to 10, not {value!r}")
    return int(value)


def _workers(environ: Mapping[str, str]) -> int | None:
    value = environ.get("SIGHTLINE_WORKERS", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise SettingsError(f"SIGHTLINE_WORKERS must be a whole number of 1 or more, not {value!r}")
    return int(value)


def read_settings(environ: Mapping[str, str]) -> Settings:
    """The settings that ``environ`` describes (no files are read or written)."""
    home = Path(environ.get("SIGHTLINE_HOME") or DEFAULT_HOME).expanduser().resolve()
    hosts = tuple(
        host.strip()
        for host in environ.get("SIGHTLINE_ALLOWED_HOSTS", "").split(",")
        if host.strip()
    )
    cert = environ.get("SIGHTLINE_TLS_CERT_FILE", "").strip()
    key = environ.get("SIGHTLINE_TLS_KEY_FILE", "").strip()
    if bool(cert) != bool(key):
        missing = "SIGHTLINE_TLS_KEY_FILE" if cert else "SIGHTLINE_TLS_CERT_FILE"
        given = "SIGHTLINE_TLS_CERT_FILE" if cert else "SIGHTLINE_TLS_KEY_FILE"
        raise SettingsError(f"{given} is set but {missing} is not: set both, or neither")
    return Settings(
        home=home,
        database_url=environ.get("DATABASE_URL") or None,
        secret_key=environ.get("SIGHTLINE_SECRET_KEY", ""),
        debug=_flag(environ, "SIGHTLINE_DEBUG"),
        allowed_hosts=hosts,
        smtp_url=environ.get("SIGHTLINE_SMTP_URL", "").strip(),
        smtp_password=environ.get("SIGHTLINE_SMTP_PASSWORD", ""),
        imap_url=environ.get("SIGHTLINE_IMAP_URL", "").strip(),
        imap_password=environ.get("SIGHTLINE_IMAP_PASSWORD", ""),
        tls_ca_file=environ.get("SIGHTLINE_TLS_CA_FILE", "").strip(),
        tls_cert_file=cert,
        tls_key_file=key,
        tls_proxy=_flag(environ, "SIGHTLINE_TLS_PROXY"),
        reply_domain=environ.get("SIGHTLINE_REPLY_DOMAIN", "").strip(),
        reviewer=environ.get("SIGHTLINE_REVIEWER", "").strip(),
        password=environ.get("SIGHTLINE_PASSWORD", ""),
        workers=_workers(environ),
        proxy_hops=_proxy_hops(environ),
    )


@cache
def settings() -> Settings:
    """This process's settings, read from the environment the first time they are asked for."""
    return read_settings(os.environ)


def reload_settings() -> Settings:
    """Read the environment again (for tests, and for a command started in-process)."""
    settings.cache_clear()
    return settings()


def sightline_home() -> Path:
    """The data folder: database, raw mail store, documents. ``SIGHTLINE_HOME`` or ./sightline-data."""
    return settings().home


def database_url() -> str | None:
    """``DATABASE_URL`` overrides the embedded SQLite database when set and non-empty."""
    return settings().database_url


def _check_key(key: str, where: str) -> str:
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_DISTINCT:
        raise SettingsError(f"{where} must hold at least {SECRET_KEY_MIN_LENGTH} random characters")
    return key


def _read_key_file(path: Path) -> str:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SettingsError(
            f"{path} can be read by other users: make it owner-only (chmod 600 {path})"
        )
    return _check_key(path.read_text("ascii").strip(), str(path))


def secret_key(current: Settings, create: bool) -> str:
    """The Django secret key: ``SIGHTLINE_SECRET_KEY``, else the one kept in the data folder.

    With ``create``, a missing key file is made (0600, 64 random characters) and kept for every
    later run; without it (production), a missing key is an error that says what to set.
    """
    if current.secret_key:
        return _check_key(current.secret_key, "SIGHTLINE_SECRET_KEY")
    path = current.secret_key_file
    try:
        return _read_key_file(path)
    except FileNotFoundError:
        if not create:
            raise SettingsError(
                "no secret key: set SIGHTLINE_SECRET_KEY to at least 50 random characters, "
                f"or run `sightline init` once to create {path}"
            ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"cannot read the secret key in {path}", detail=str(error)) from None
    return _create_key_file(path)


def _create_key_file(path: Path) -> str:
    """Write a new key beside ``path``, then link it into place: a second process starting at
    the same moment either links first (and this one reads its key) or finds the file whole."""
    import secrets  # only when a key is made: loading it is not free

    key = secrets.token_urlsafe(48)  # 64 characters
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(key + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:  # another process made it first: use theirs
            return _read_key_file(path)
        finally:
            draft.unlink()
    except OSError as error:
        raise SettingsError(
            f"cannot create the secret key file {path}: check SIGHTLINE_HOME", detail=str(error)
        ) from None
    return key
