from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesearchConfig(AppConfig):
    name = "sitesearch"
    verbose_name = _("Ricerca nel sito")

    def ready(self) -> None:
        from sitesearch import signals

        signals.connect()
