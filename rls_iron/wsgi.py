"""WSGI entry point for gunicorn (`gunicorn rls_iron.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rls_iron.settings")

application = get_wsgi_application()
