"""Newsletter: subscribers who confirmed their address, issues, and one delivery per issue × subscriber.

Addresses are personal data: no public page shows them and only the Regione reads them
in the back office (permission table).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The consent text shown next to the signup form; its version is stored with each consent.
CONSENT_VERSION = "2026-12"


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("In attesa di conferma")
    CONFIRMED = "confirmed", _("Confermato")
    UNSUBSCRIBED = "unsubscribed", _("Cancellato")


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriberQuerySet:
        return self.filter(status=SubscriberStatus.CONFIRMED)

    def interested_in(self, ambito) -> SubscriberQuerySet:
        """Regional issues reach everyone; an ambito's those who chose it or chose none."""
        if ambito is None:
            return self
        return self.filter(Q(ambiti=ambito) | Q(ambiti__isnull=True)).distinct()


class Subscriber(models.Model):
    email = models.EmailField(_("email"), unique=True)
    language = models.CharField(_("lingua"), max_length=10, choices=settings.LANGUAGES, default="it")
    ambiti = models.ManyToManyField(
        "territories.Ambito", blank=True, related_name="subscribers", verbose_name=_("ambiti di interesse")
    )
    status = models.CharField(
        _("stato"), max_length=20, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING
    )
    consent_at = models.DateTimeField(_("consenso dato il"))
    consent_version = models.CharField(_("versione del testo di consenso"), max_length=20)
    confirmed_at = models.DateTimeField(_("confermato il"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("cancellato il"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("iscritto alla newsletter")
        verbose_name_plural = _("iscritti alla newsletter")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("Bozza")
    SENDING = "sending", _("In invio")
    SENT = "sent", _("Inviata")


class Issue(models.Model):
    subject = models.CharField(_("oggetto"), max_length=200)
    body = models.TextField(_("testo"), help_text=_("Testo semplice; una riga vuota separa i paragrafi."))
    ambito = models.ForeignKey(
        "territories.Ambito",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="newsletter_issues",
        verbose_name=_("ambito"),
        help_text=_("Vuoto per i contenuti regionali, curati da Regione Lombardia."),
    )
    status = models.CharField(_("stato"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    send_started_at = models.DateTimeField(_("invio iniziato il"), null=True, blank=True)
    sent_at = models.DateTimeField(_("invio finito il"), null=True, blank=True)
    updated_at = models.DateTimeField(_("ultimo aggiornamento"), auto_now=True)

    class Meta:
        verbose_name = _("numero della newsletter")
        verbose_name_plural = _("numeri della newsletter")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.subject


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Da inviare")
    SENT = "sent", _("Inviato")
    FAILED = "failed", _("Non riuscito")


class Delivery(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=255, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="delivery_once_per_subscriber")]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscriber_id} ({self.status})"
