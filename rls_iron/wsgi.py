"""WSGI entry point for gunicorn (`gunicorn rls_iron.wsgi`).

Each worker loads the content as it starts, so the first patient does not wait for it, and
then looks for edits in a thread of its own, so that no patient waits for that either.
"""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rls_iron.settings")

application = get_wsgi_application()


def _warm_up() -> None:
    from rls_iron.content import ContentError, get_guide, get_store

    try:
        get_guide()
    except ContentError:
        # `make serve` refuses to start on broken content; here we only log and let the
        # first request show the error page until the content is fixed.
        logging.getLogger("rls_iron").exception("Content could not be loaded at start-up")
    get_store().watch()


_warm_up()
