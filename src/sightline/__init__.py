"""Sightline: investigate who owns surveillance technology."""

__version__ = "0.1.0.dev0"
