from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    label = "api"
    verbose_name = _("Dati aperti (API HSDS)")

    def ready(self) -> None:
        from api import signals

        signals.connect()
