"""Django settings, read from the environment.

SQLite in SIGHTLINE_HOME (WAL mode) by default; PostgreSQL or any other database when
DATABASE_URL is set (dj-database-url syntax).
"""

from __future__ import annotations

import os

import dj_database_url

from sightline.config import database_url, sightline_home

HOME = sightline_home()

SECRET_KEY = os.environ.get("SIGHTLINE_SECRET_KEY", "sightline-insecure-development-key")
DEBUG = os.environ.get("SIGHTLINE_DEBUG") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "sightline.authorities",
    "sightline.campaigns",
    "sightline.mail",
    "sightline.review",
]

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "sightline.web.urls"
USE_TZ = True
TIME_ZONE = "Europe/London"
LANGUAGE_CODE = "en-gb"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _databases() -> dict[str, dict[str, object]]:
    url = database_url()
    if url:
        return {"default": dj_database_url.parse(url, conn_max_age=0)}
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(HOME / "sightline.sqlite3"),
            "OPTIONS": {
                # WAL lets readers (the web interface) work while a writer (an import) runs.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }


DATABASES = _databases()
