"""The register of linguistic-cultural mediators an ambito can call on.

Requests, assignment and sessions come with the mediation issue; the register is here from
the start because roles and permissions already depend on it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Mediator(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediator",
        verbose_name=_("utente"),
    )
    first_name = models.CharField(_("nome"), max_length=100)
    last_name = models.CharField(_("cognome"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    languages = models.ManyToManyField("services.Language", related_name="mediators", verbose_name=_("lingue"))
    ambiti = models.ManyToManyField("territories.Ambito", related_name="mediators", verbose_name=_("ambiti"))
    is_available = models.BooleanField(_("disponibile"), default=True)
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mediatore")
        verbose_name_plural = _("mediatori")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"
