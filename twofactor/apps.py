from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "twofactor"
    verbose_name = _("Verifica in due passaggi")
