"""Writes of the newsletter: signup and its confirmation, unsubscribe, issues and their sending."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import permissions
from access.scope import check_regional, check_write
from common.db import validated_save
from newsletter import tokens
from newsletter.models import CONSENT_VERSION, Issue, IssueStatus, Subscriber, SubscriberStatus


@transaction.atomic
def subscriber_signup(*, email: str, language: str, ambiti=(), consent_version: str = CONSENT_VERSION) -> Subscriber:
    """Record a signup (pending) and mail the confirmation link; a confirmed address stays as it is.

    The answer is the same whether or not the address was known, so the form tells nobody
    who subscribes.
    """
    email = email.strip().lower()
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is not None and subscriber.status == SubscriberStatus.CONFIRMED:
        return subscriber
    subscriber = subscriber or Subscriber(email=email)
    subscriber.language = language
    subscriber.status = SubscriberStatus.PENDING
    subscriber.consent_at = timezone.now()
    subscriber.consent_version = consent_version
    subscriber.unsubscribed_at = None
    validated_save(subscriber)
    subscriber.ambiti.set(ambiti)
    from newsletter.tasks import send_confirmation

    transaction.on_commit(lambda: send_confirmation.delay(subscriber.pk))
    return subscriber


def _read(token: str, reader) -> Subscriber:
    try:
        return reader(token)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            _("Il link è scaduto: iscriviti di nuovo per riceverne uno nuovo."), code="expired"
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("Il link non è valido: copialo per intero dall'email."), code="invalid") from exc


@transaction.atomic
def subscriber_confirm(*, token: str) -> Subscriber:
    """Confirm the address a (non-expired) confirmation link names."""
    subscriber = _read(token, tokens.read_confirm)
    if subscriber.status != SubscriberStatus.CONFIRMED:
        subscriber.status = SubscriberStatus.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        validated_save(subscriber)
    return subscriber


def subscriber_for_unsubscribe(*, token: str) -> Subscriber:
    """The subscriber an unsubscribe link names (ValidationError when tampered or too old)."""
    return _read(token, tokens.read_unsubscribe)


@transaction.atomic
def subscriber_unsubscribe(*, token: str) -> Subscriber:
    subscriber = _read(token, tokens.read_unsubscribe)
    if subscriber.status != SubscriberStatus.UNSUBSCRIBED:
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        validated_save(subscriber)
    return subscriber


@transaction.atomic
def issue_save(*, issue: Issue, by) -> Issue:
    """Create or update a draft issue of an ambito, or a regional one (the Regione's)."""
    if issue.pk is not None and Issue.objects.filter(pk=issue.pk).exclude(status=IssueStatus.DRAFT).exists():
        raise ValidationError(_("Un numero già inviato non si modifica più."))
    if issue.pk is None and issue.created_by_id is None and by is not None and by.is_authenticated:
        issue.created_by = by
    check_write(by=by, instance=issue, ambito=issue.ambito)
    check_regional(
        by=by,
        ambito=issue.ambito,
        message=_("Le notizie regionali sono curate da Regione Lombardia: scegli il tuo ambito."),
    )
    return validated_save(issue)


@transaction.atomic
def issue_send(*, issue: Issue, by) -> Issue:
    """Start sending a draft issue to its confirmed subscribers (in batches, by Celery)."""
    if not permissions.can_access_object(by, permissions.CHANGE, issue):
        raise PermissionDenied(_("Non hai i permessi per modificare questo dato."))
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != IssueStatus.DRAFT:
        raise ValidationError(_("Questo numero è già stato inviato."))
    issue.status = IssueStatus.SENDING
    issue.send_started_at = timezone.now()
    issue.save(update_fields=["status", "send_started_at", "updated_at"])
    from newsletter.tasks import send_issue

    transaction.on_commit(lambda: send_issue.delay(issue.pk))
    return issue
