from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "sightline.review"
    label = "review"
    verbose_name = "Facts and review"
