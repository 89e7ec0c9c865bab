from django.apps import AppConfig


class AuthoritiesConfig(AppConfig):
    name = "sightline.authorities"
    label = "authorities"
    verbose_name = "Authorities"
