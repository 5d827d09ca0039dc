"""What keeps background work from being lost: the outbox and the record of failed jobs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A Celery task to send, written in the same transaction as the change that needs it.

    Sent right after commit when the broker answers; otherwise kept here and sent by
    `flush_outbox` (a beat task every minute, or the management command) once it does.
    """

    task = models.CharField(_("compito"), max_length=200)
    args = models.JSONField(_("argomenti"), default=list, blank=True)
    kwargs = models.JSONField(_("argomenti con nome"), default=dict, blank=True)
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(_("tentativi"), default=0)
    last_error = models.CharField(_("ultimo errore"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attività in attesa di invio")
        verbose_name_plural = _("attività in attesa di invio")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


class FailedJob(models.Model):
    """A background task that failed after its retries: shown to the coordinator, never silent."""

    task = models.CharField(_("compito"), max_length=200)
    task_id = models.CharField(_("identificativo"), max_length=100, blank=True)
    args = models.JSONField(_("argomenti"), default=list, blank=True)
    kwargs = models.JSONField(_("argomenti con nome"), default=dict, blank=True)
    error = models.CharField(_("errore"), max_length=500)
    retries = models.PositiveIntegerField(_("tentativi ripetuti"), default=0)
    failed_at = models.DateTimeField(_("fallita il"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("attività fallita")
        verbose_name_plural = _("attività fallite")
        ordering = ["-failed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task} ({self.failed_at:%Y-%m-%d %H:%M})"
