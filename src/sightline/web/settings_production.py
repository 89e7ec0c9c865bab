"""Settings for running the web interface for a team behind HTTPS (``check --deploy`` clean).

Use with ``DJANGO_SETTINGS_MODULE=sightline.web.settings_production``. It needs a secret key
(``SIGHTLINE_SECRET_KEY``, 50+ random characters, or the ``SIGHTLINE_HOME/secret_key`` that
``sightline init`` makes; it never makes one itself) and ``SIGHTLINE_ALLOWED_HOSTS``
(comma-separated host names); it assumes a TLS-terminating proxy in front that sets
X-Forwarded-Proto. A missing or unusable key stops it with one line and exit status 1.
"""

from __future__ import annotations

from sightline.config import SettingsError, secret_key
from sightline.web.settings import *  # noqa: F403
from sightline.web.settings import CONFIG, _stop

DEBUG = False
try:
    SECRET_KEY = secret_key(CONFIG, create=False)
except SettingsError as _error:
    _stop(_error)
ALLOWED_HOSTS = list(CONFIG.allowed_hosts) or ["127.0.0.1", "localhost"]
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
SIGHTLINE_PROXY_HOPS = CONFIG.proxy_hops
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # the HSTS preload list, as above
