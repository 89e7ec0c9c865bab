"""URL routes: the web interface (sightline.webui) at the root."""

from django.urls import URLResolver, include, path

urlpatterns: list[URLResolver] = [path("", include("sightline.webui.urls"))]
