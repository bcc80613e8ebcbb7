"""App configuration: registers the content checks and, in development, watches content/."""

from django.apps import AppConfig


class RlsIronConfig(AppConfig):
    name = "rls_iron"
    verbose_name = "RLS iron guide"

    def ready(self) -> None:
        from django.utils.autoreload import autoreload_started, file_changed

        from rls_iron import checks  # noqa: F401 -- registers the content checks
        from rls_iron.devreload import on_file_changed

        autoreload_started.connect(watch_content_files)
        file_changed.connect(on_file_changed)


def watch_content_files(sender, **kwargs) -> None:
    """Let `make dev` notice content edits, so the open browser tab reloads (devreload.py)."""
    from django.conf import settings

    sender.watch_dir(settings.CONTENT_DIR, "**/*.md")
