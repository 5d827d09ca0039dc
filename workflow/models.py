"""What every request with a life cycle shares: a status and an event row per transition.

Not an installed app: abstract bases only. Mediation requests and legal consultations
subclass them; `workflow.engine` moves them from one status to the next.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Inviata")
    TRIAGED = "triaged", _("Presa in carico")
    ASSIGNED = "assigned", _("Assegnata")
    SCHEDULED = "scheduled", _("Programmata")
    DONE = "done", _("Conclusa")
    REJECTED = "rejected", _("Respinta")
    CANCELLED = "cancelled", _("Annullata")


OPEN = (Status.SUBMITTED, Status.TRIAGED, Status.ASSIGNED, Status.SCHEDULED)
CLOSED = (Status.DONE, Status.REJECTED, Status.CANCELLED)


class WorkflowModel(models.Model):
    """A request that moves through `Status` (each subclass declares its own transitions)."""

    status = models.CharField(_("stato"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("inviata il"), auto_now_add=True, db_index=True)
    closed_at = models.DateTimeField(_("chiusa il"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonimizzata il"), null=True, blank=True)
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class WorkflowEvent(models.Model):
    """One transition: who moved the request, when, from which status to which, and why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("quando"), auto_now_add=True)
    transition = models.CharField(_("azione"), max_length=20)
    from_status = models.CharField(_("da"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("a"), max_length=12, choices=Status.choices)
    note = models.TextField(_("nota"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
