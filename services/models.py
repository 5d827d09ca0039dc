"""Information desks (sportelli) and the reference lists they use.

The foundation keeps the desk record lean (who runs it, where, what it handles, which
languages staff speak); opening hours, guides and materials come with the public-site issue.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from services.querysets import SportelloQuerySet


class ServiceCategory(models.Model):
    key = models.SlugField(_("codice"), max_length=40, unique=True)
    name = models.CharField(_("nome"), max_length=120)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        verbose_name = _("categoria di servizio")
        verbose_name_plural = _("categorie di servizio")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """A language people speak (ISO 639-1 or -3 code), not a language of the site."""

    code = models.CharField(_("codice ISO 639"), max_length=8, unique=True)
    name = models.CharField(_("nome"), max_length=80)

    class Meta:
        verbose_name = _("lingua parlata")
        verbose_name_plural = _("lingue parlate")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sportello(models.Model):
    ambito = models.ForeignKey(
        "territories.Ambito", on_delete=models.PROTECT, related_name="sportelli", verbose_name=_("ambito")
    )
    partner = models.ForeignKey(
        "territories.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sportelli",
        verbose_name=_("ente gestore"),
    )
    name = models.CharField(_("nome"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("descrizione"), blank=True)
    address = models.CharField(_("indirizzo"), max_length=255)
    comune = models.ForeignKey(
        "territories.Comune", on_delete=models.PROTECT, related_name="sportelli", verbose_name=_("comune")
    )
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    categories = models.ManyToManyField(ServiceCategory, related_name="sportelli", verbose_name=_("servizi offerti"))
    languages = models.ManyToManyField(Language, related_name="sportelli", blank=True, verbose_name=_("lingue parlate"))
    is_published = models.BooleanField(_("pubblicato"), default=False)
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)
    updated_at = models.DateTimeField(_("ultimo aggiornamento"), auto_now=True)

    objects = SportelloQuerySet.as_manager()

    class Meta:
        verbose_name = _("sportello informativo")
        verbose_name_plural = _("sportelli informativi")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
