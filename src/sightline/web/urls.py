"""URL routes: the web interface (sightline.webui) at the root, its JSON API under /api/v1/."""

from django.urls import URLResolver, include, path

urlpatterns: list[URLResolver] = [
    path("api/v1/", include("sightline.webui.api")),
    path("", include("sightline.webui.urls")),
]
