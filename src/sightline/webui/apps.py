from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WebUIConfig(AppConfig):
    name = "sightline.webui"
    label = "webui"
    verbose_name = "Sightline web interface"

    def ready(self) -> None:
        from sightline.webui.roles import create_roles_after_migrate

        # After auth has created this app's permissions (auth's handler was connected first).
        post_migrate.connect(create_roles_after_migrate, sender=self)
