from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "sightline.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"
