"""URL routes; the web interface adds its pages here."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
