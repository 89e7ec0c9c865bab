"""Start Django from the command line or a plain script, once."""

from __future__ import annotations

import os


def setup_django() -> None:
    """Configure Django with Sightline's settings unless something already has."""
    import django
    from django.apps import apps

    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sightline.web.settings")
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        from pathlib import Path

        Path(str(settings.DATABASES["default"]["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    django.setup()
