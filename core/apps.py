from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Organisations and teams"

    def ready(self) -> None:
        from core import checks, signals  # noqa: F401  (registers the checks and receivers)
