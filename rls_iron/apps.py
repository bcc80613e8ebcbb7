"""App configuration: registers the content checks and, in development, watches content/."""

from django.apps import AppConfig


class RlsIronConfig(AppConfig):
    name = "rls_iron"
    verbose_name = "RLS iron guide"

    def ready(self) -> None:
        from django.utils.autoreload import autoreload_started

        from rls_iron import checks  # noqa: F401 -- registers the content checks

        autoreload_started.connect(watch_content_files)


def watch_content_files(sender, **kwargs) -> None:
    """Restart `make dev` when a content file changes, so the open browser tab reloads."""
    from django.conf import settings

    sender.watch_dir(settings.CONTENT_DIR, "**/*.md")
