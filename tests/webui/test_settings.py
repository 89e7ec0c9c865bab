"""The production settings profile passes Django's deployment checks."""

import os
import stat
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def check(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SIGHTLINE_SECRET")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "django", "check", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_for_production(tmp_path):
    result = check(
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="sightline.web.settings_production",
        SIGHTLINE_SECRET_KEY="k" * 20 + "3f9#Lq0!zP7vW2mX8bN4cR6tY1uI5oE9aS3dF7gH",
        SIGHTLINE_ALLOWED_HOSTS="foi.example.org",
        SIGHTLINE_HOME=str(tmp_path),
    )
    assert (result.returncode, result.stdout) == (
        0,
        "System check identified no issues (1 silenced).\n",
    )


def test_production_without_a_key_stops_with_one_line(tmp_path):
    result = check(
        DJANGO_SETTINGS_MODULE="sightline.web.settings_production", SIGHTLINE_HOME=str(tmp_path)
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: no secret key: set SIGHTLINE_SECRET_KEY to at least 50 random characters, "
        f"or run `sightline init` once to create {tmp_path.resolve()}/secret_key\n"
    )
    assert list(tmp_path.iterdir()) == []  # production never makes a key itself


def test_production_refuses_a_weak_key_with_one_line(tmp_path):
    result = check(
        DJANGO_SETTINGS_MODULE="sightline.web.settings_production",
        SIGHTLINE_HOME=str(tmp_path),
        SIGHTLINE_SECRET_KEY="too-short",
    )
    assert (result.returncode, result.stderr) == (
        1,
        "Error: SIGHTLINE_SECRET_KEY must hold at least 50 random characters\n",
    )


def test_the_first_run_stores_a_key_that_later_runs_and_production_reuse(tmp_path):
    home = tmp_path / "home"
    first = check(DJANGO_SETTINGS_MODULE="sightline.web.settings", SIGHTLINE_HOME=str(home))
    assert (first.returncode, first.stderr) == (0, "")
    key_file = home / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    again = check(DJANGO_SETTINGS_MODULE="sightline.web.settings", SIGHTLINE_HOME=str(home))
    assert again.returncode == 0 and key_file.read_text() == key
    production = check(
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="sightline.web.settings_production",
        SIGHTLINE_ALLOWED_HOSTS="foi.example.org",
        SIGHTLINE_HOME=str(home),
    )
    assert (production.returncode, production.stdout) == (
        0,
        "System check identified no issues (1 silenced).\n",
    )
    key_file.chmod(0o640)
    shared = check(DJANGO_SETTINGS_MODULE="sightline.web.settings", SIGHTLINE_HOME=str(home))
    assert (shared.returncode, shared.stderr) == (
        1,
        f"Error: {key_file} can be read by other users: make it owner-only "
        f"(chmod 600 {key_file})\n",
    )


def test_development_settings_are_not_deploy_clean(tmp_path):
    """The default profile is for loopback only: check --deploy says so (e.g. cookies)."""
    result = check(
        "--deploy",
        DJANGO_SETTINGS_MODULE="sightline.web.settings",
        SIGHTLINE_HOME=str(tmp_path),
    )
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE
