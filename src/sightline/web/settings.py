"""Django settings, taken from Sightline's settings object (sightline.config, docs/settings.md).

SQLite in SIGHTLINE_HOME (WAL mode) by default; PostgreSQL or any other database when
DATABASE_URL is set (dj-database-url syntax). The secret key is SIGHTLINE_SECRET_KEY, else the
one kept in SIGHTLINE_HOME/secret_key (made on first run, owner-only).
"""

from __future__ import annotations

import os
import sys

import dj_database_url

from sightline.config import SettingsError, secret_key
from sightline.config import settings as sightline_settings


def _stop(error: SettingsError) -> None:
    """A setting Sightline cannot run with: one line, no traceback, exit status 1."""
    sys.stderr.write(f"Error: {error.message}\n")
    raise SystemExit(1)


# A key file is made on first run only where these settings are the ones in use: the production
# settings (which import these) never make one.
_IN_USE = os.environ.get("DJANGO_SETTINGS_MODULE", __name__) == __name__
try:
    CONFIG = sightline_settings()
    SECRET_KEY = secret_key(CONFIG, create=True) if _IN_USE else ""
except SettingsError as _error:
    _stop(_error)
HOME = CONFIG.home
DEBUG = CONFIG.debug
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "sightline.authorities",
    "sightline.campaigns",
    "sightline.mail",
    "sightline.review",
    "sightline.webui",
    "sightline.tasks",
    "django_tasks",
    "django_tasks_db",
]

# Background work (docs/worker.md): tasks are rows in the database, run by `sightline worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The web interface (docs/web.md). Every page needs a login (LoginRequiredMiddleware) unless its
# view is marked login_not_required (the login page and the published report only).
MIDDLEWARE: list[str] = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sightline.webui.middleware.ContentSecurityPolicyMiddleware",
    "sightline.webui.middleware.SightlineErrorMiddleware",
]
ROOT_URLCONF = "sightline.web.urls"
WSGI_APPLICATION = "sightline.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sightline.webui.roles.role_context",
            ],
        },
    }
]
LOGIN_URL = "webui:login"
LOGIN_REDIRECT_URL = "webui:home"
LOGOUT_REDIRECT_URL = "webui:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions and cookies: not readable from JavaScript, not sent cross-site, gone after 12 hours
# or when the browser closes. settings_production turns on the Secure flag and HSTS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# The interface serves its two files itself (sightline.webui.views.accounts.asset); STATIC_URL is
# set only because Django's test live server expects one.
STATIC_URL = "static/"
# Uploads are not accepted anywhere; keep request bodies small.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
USE_TZ = True
TIME_ZONE = "Europe/London"
LANGUAGE_CODE = "en-gb"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# Behind HTTPS (serve with a certificate, or a TLS proxy in front): cookies only over HTTPS.
if CONFIG.serves_tls:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if CONFIG.tls_proxy:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _databases() -> dict[str, dict[str, object]]:
    url = CONFIG.database_url
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
