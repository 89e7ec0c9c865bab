from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "sightline.tasks"
    label = "tasks"
    verbose_name = "Sightline background work"
    default_auto_field = "django.db.models.BigAutoField"
