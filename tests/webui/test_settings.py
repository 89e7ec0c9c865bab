"""The production settings profile passes Django's deployment checks."""

import os
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


def test_production_refuses_a_missing_secret_key(tmp_path):
    result = check(
        DJANGO_SETTINGS_MODULE="sightline.web.settings_production", SIGHTLINE_HOME=str(tmp_path)
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: SIGHTLINE_SECRET_KEY must be set to at "
        "least 50 random characters for production"
    )


def test_development_settings_are_not_deploy_clean(tmp_path):
    """The default profile is for loopback only: check --deploy says so (e.g. cookies)."""
    result = check(
        "--deploy",
        DJANGO_SETTINGS_MODULE="sightline.web.settings",
        SIGHTLINE_HOME=str(tmp_path),
    )
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE
