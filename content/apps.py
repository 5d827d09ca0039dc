from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Materiali e notizie")

    def ready(self) -> None:
        from content import signals

        signals.connect()
