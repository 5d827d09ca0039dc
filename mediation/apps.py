from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("Mediazione linguistico-culturale")

    def ready(self):
        # The mediation sheet of the FAMI workbook (reports.exporters.register_workbook_section).
        from mediation import exports  # noqa: F401
