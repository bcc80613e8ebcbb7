"""App configuration for rls_iron."""

from django.apps import AppConfig


class RlsIronConfig(AppConfig):
    name = "rls_iron"
    verbose_name = "RLS iron guide"
