from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabimpactConfig(AppConfig):
    name = "labimpact"
    verbose_name = _("Portale Lab'Impact")

    def ready(self) -> None:
        from labimpact import caching

        caching.connect_signals()
