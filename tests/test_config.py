"""The settings object: every variable read once, into one typed place (docs/settings.md)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from sightline.config import (
    SettingsError,
    read_settings,
    reload_settings,
    secret_key,
    settings,
)


def test_every_variable_lands_in_its_field(tmp_path):
    current = read_settings(
        {
            "SIGHTLINE_HOME": str(tmp_path),
            "DATABASE_URL": "postgresql://u@127.0.0.1/db",
            "SIGHTLINE_SECRET_KEY": "k" * 50,
            "SIGHTLINE_DEBUG": "1",
            "SIGHTLINE_ALLOWED_HOSTS": " foi.example.org, ,team.example.org ",
            "SIGHTLINE_SMTP_URL": "smtp://127.0.0.1:2525",
            "SIGHTLINE_SMTP_PASSWORD": "s",
            "SIGHTLINE_IMAP_URL": "imaps://foi@127.0.0.1/INBOX",
            "SIGHTLINE_IMAP_PASSWORD": "i",
            "SIGHTLINE_TLS_CA_FILE": "/etc/ca.pem",
            "SIGHTLINE_TLS_CERT_FILE": "/etc/cert.pem",
            "SIGHTLINE_TLS_KEY_FILE": "/etc/key.pem",
            "SIGHTLINE_TLS_PROXY": "0",
            "SIGHTLINE_REPLY_DOMAIN": "replies.example.org",
            "SIGHTLINE_REVIEWER": "ana",
            "SIGHTLINE_PASSWORD": "pw",
            "SIGHTLINE_WORKERS": "3",
        }
    )
    assert current.home == tmp_path.resolve()
    assert current.database_url == "postgresql://u@127.0.0.1/db"
    assert (current.secret_key, current.debug) == ("k" * 50, True)
    assert current.allowed_hosts == ("foi.example.org", "team.example.org")
    assert (current.smtp_url, current.smtp_password) == ("smtp://127.0.0.1:2525", "s")
    assert (current.imap_url, current.imap_password) == ("imaps://foi@127.0.0.1/INBOX", "i")
    assert (current.tls_ca_file, current.tls_cert_file, current.tls_key_file) == (
        "/etc/ca.pem",
        "/etc/cert.pem",
        "/etc/key.pem",
    )
    assert (current.tls_proxy, current.serves_tls) == (False, True)
    assert (current.reply_domain, current.reviewer, current.password) == (
        "replies.example.org",
        "ana",
        "pw",
    )
    assert current.workers == 3
    assert current.secret_key_file == tmp_path.resolve() / "secret_key"


def test_nothing_set_means_the_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    current = read_settings({})
    assert current.home == tmp_path.resolve() / "sightline-data"
    assert (current.database_url, current.secret_key, current.debug) == (None, "", False)
    assert (current.smtp_url, current.imap_url, current.workers) == ("", "", None)
    assert (current.serves_tls, current.allowed_hosts) == (False, ())


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"SIGHTLINE_WORKERS": "many"},
            "SIGHTLINE_WORKERS must be a whole number of 1 or more, not 'many'",
        ),
        (
            {"SIGHTLINE_WORKERS": "0"},
            "SIGHTLINE_WORKERS must be a whole number of 1 or more, not '0'",
        ),
        ({"SIGHTLINE_DEBUG": "maybe"}, "SIGHTLINE_DEBUG must be 1 or 0, not 'maybe'"),
        (
            {"SIGHTLINE_TLS_CERT_FILE": "/etc/cert.pem"},
            "SIGHTLINE_TLS_CERT_FILE is set but SIGHTLINE_TLS_KEY_FILE is not: set both, or neither",
        ),
        (
            {"SIGHTLINE_TLS_KEY_FILE": "/etc/key.pem"},
            "SIGHTLINE_TLS_KEY_FILE is set but SIGHTLINE_TLS_CERT_FILE is not: set both, or neither",
        ),
    ],
)
def test_unusable_values_are_named(environ, message):
    with pytest.raises(SettingsError) as error:
        read_settings(environ)
    assert error.value.message == message


def test_read_once_until_reloaded(monkeypatch, tmp_path):
    first = settings()
    assert settings() is first
    # Straight into os.environ, not through the test's monkeypatch (which reloads).
    import os

    os.environ["SIGHTLINE_REPLY_DOMAIN"] = "later.example.org"
    try:
        assert settings().reply_domain == first.reply_domain
        assert reload_settings().reply_domain == "later.example.org"
    finally:
        del os.environ["SIGHTLINE_REPLY_DOMAIN"]
        reload_settings()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_first_run_makes_an_owner_only_key_and_later_runs_reuse_it(tmp_path):
    current = read_settings({"SIGHTLINE_HOME": str(tmp_path / "home")})
    key = secret_key(current, create=True)
    path = tmp_path / "home" / "secret_key"
    assert _mode(path) == 0o600
    assert len(key) == 64 and path.read_text() == key + "\n"
    assert secret_key(current, create=True) == key
    assert secret_key(current, create=False) == key
    assert sorted(p.name for p in path.parent.iterdir()) == ["secret_key"]  # no draft left


def test_without_create_a_missing_key_says_what_to_set(tmp_path):
    current = read_settings({"SIGHTLINE_HOME": str(tmp_path)})
    with pytest.raises(SettingsError) as error:
        secret_key(current, create=False)
    assert error.value.message == (
        "no secret key: set SIGHTLINE_SECRET_KEY to at least 50 random characters, "
        f"or run `sightline init` once to create {tmp_path.resolve()}/secret_key"
    )
    assert not (tmp_path / "secret_key").exists()


def test_a_key_others_can_read_is_refused(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("x" * 40 + "abcdefghijklmnopqrstuvwxyz\n")
    path.chmod(0o644)
    current = read_settings({"SIGHTLINE_HOME": str(tmp_path)})
    with pytest.raises(SettingsError) as error:
        secret_key(current, create=True)
    assert error.value.message == (
        f"{path} can be read by other users: make it owner-only (chmod 600 {path})"
    )


@pytest.mark.parametrize("key", ["short", "a" * 60])
def test_a_weak_key_from_the_environment_is_refused(tmp_path, key):
    current = read_settings({"SIGHTLINE_HOME": str(tmp_path), "SIGHTLINE_SECRET_KEY": key})
    with pytest.raises(SettingsError) as error:
        secret_key(current, create=True)
    assert error.value.message == "SIGHTLINE_SECRET_KEY must hold at least 50 random characters"
    assert not (tmp_path / "secret_key").exists()


def test_the_environment_key_wins_and_no_file_is_made(tmp_path):
    given = "3f9#Lq0!zP7vW2mX8bN4cR6tY1uI5oE9aS3dF7gH" + "k" * 20
    current = read_settings({"SIGHTLINE_HOME": str(tmp_path), "SIGHTLINE_SECRET_KEY": given})
    assert secret_key(current, create=True) == given
    assert not (tmp_path / "secret_key").exists()


def test_no_module_but_this_one_reads_a_setting_from_the_environment():
    """One place reads the environment: a SIGHTLINE_ variable anywhere else in the code is only
    named (in a message or a help text), never looked up."""
    import re

    source = Path(__file__).resolve().parents[1] / "src" / "sightline"
    lookup = re.compile(r"(environ|getenv|envvar)\W[^\n]*SIGHTLINE_")
    readers = [
        str(path.relative_to(source))
        for path in sorted(source.rglob("*.py"))
        if lookup.search(path.read_text("utf-8"))
    ]
    # config.py reads them all; the demo sets SIGHTLINE_HOME to its own folder, then reloads
    assert readers == ["cli/demo.py", "config.py"]


def test_a_command_with_an_unusable_setting_stops_with_one_line(monkeypatch):
    from click.testing import CliRunner

    from sightline.cli.main import cli

    monkeypatch.setenv("SIGHTLINE_WORKERS", "x")
    result = CliRunner().invoke(cli, ["worker", "--once"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "Error: SIGHTLINE_WORKERS must be a whole number of 1 or more, not 'x'\n",
    )
