"""The Django project that gives Sightline its database and, later, its web interface."""
