"""Settings for running the web interface for a team behind HTTPS (``check --deploy`` clean).

Use with ``DJANGO_SETTINGS_MODULE=sightline.web.settings_production``. It needs
``SIGHTLINE_SECRET_KEY`` (50+ random characters) and ``SIGHTLINE_ALLOWED_HOSTS`` (comma-separated
host names); it assumes a TLS-terminating proxy in front that sets X-Forwarded-Proto.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from sightline.web.settings import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("SIGHTLINE_SECRET_KEY", "")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "SIGHTLINE_SECRET_KEY must be set to at least 50 random characters for production"
    )
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("SIGHTLINE_ALLOWED_HOSTS", "").split(",")
    if host.strip()
] or ["127.0.0.1", "localhost"]
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host[0] not in ".*["]

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False  # preloading is a decision for whoever owns the domain
# Client addresses (audit trail, login throttling) come from the proxy's X-Forwarded-For: the
# number of trusted proxies in front, 1 by default (0 uses the connection's own address).
SIGHTLINE_PROXY_HOPS = int(os.environ.get("SIGHTLINE_PROXY_HOPS", "1") or "0")
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # the HSTS preload list, as above
