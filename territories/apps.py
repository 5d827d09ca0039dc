from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "territories"
    verbose_name = _("Territori e reti")

    def ready(self) -> None:
        from territories import matching
        from territories.models import Comune

        # The in-process name index (territories.matching) follows every change of a comune.
        post_save.connect(matching.forget, sender=Comune, dispatch_uid="comune-index-save")
        post_delete.connect(matching.forget, sender=Comune, dispatch_uid="comune-index-delete")
