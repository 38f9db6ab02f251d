"""WSGI entry point for production servers (``safelect serve`` runs granian on it)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safelect.config.settings")
application = get_wsgi_application()
