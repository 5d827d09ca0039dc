"""Sending the newsletter: one task per issue splits the work into batches; batches retry their failures."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from newsletter import mail
from newsletter.models import Delivery, DeliveryStatus, Issue, IssueStatus, Subscriber, SubscriberStatus

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
RETRY_DELAY = 60  # seconds, times the attempts made so far


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_confirmation(subscriber_id: int) -> None:
    subscriber = Subscriber.objects.filter(pk=subscriber_id, status=SubscriberStatus.PENDING).first()
    if subscriber is not None:
        mail.confirmation_message(subscriber).send()


@shared_task(ignore_result=True)
def send_issue(issue_id: int) -> None:
    """Create a delivery per confirmed subscriber (once) and queue them in batches."""
    issue = Issue.objects.filter(pk=issue_id, status=IssueStatus.SENDING).first()
    if issue is None:
        return
    recipients = Subscriber.objects.confirmed().interested_in(issue.ambito).values_list("pk", flat=True)
    Delivery.objects.bulk_create(
        [Delivery(issue=issue, subscriber_id=pk) for pk in recipients], ignore_conflicts=True, batch_size=500
    )
    pending = list(issue.deliveries.filter(status=DeliveryStatus.PENDING).order_by("pk").values_list("pk", flat=True))
    size = settings.NEWSLETTER_BATCH_SIZE
    for start in range(0, len(pending), size):
        send_batch.delay(issue_id, pending[start : start + size])
    _finish_if_done(issue_id)


@shared_task(ignore_result=True)
def send_batch(issue_id: int, delivery_ids: list[int]) -> None:
    """Send one batch; failed deliveries are queued again later (up to MAX_ATTEMPTS), sent ones never twice."""
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None:
        return
    deliveries = Delivery.objects.select_related("subscriber").filter(
        pk__in=delivery_ids, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], attempts__lt=MAX_ATTEMPTS
    )
    retry, attempts = [], 0
    for delivery in deliveries:
        if delivery.subscriber.status != SubscriberStatus.CONFIRMED:
            # Unsubscribed since the issue started: nothing to send.
            Delivery.objects.filter(pk=delivery.pk).delete()
            continue
        delivery.attempts += 1
        try:
            mail.issue_message(issue, delivery.subscriber).send()
        except Exception as exc:
            logger.warning("Newsletter %s to subscriber %s failed: %s", issue_id, delivery.subscriber_id, exc)
            delivery.status, delivery.error = DeliveryStatus.FAILED, str(exc)[:255]
            if delivery.attempts < MAX_ATTEMPTS:
                retry.append(delivery.pk)
                attempts = max(attempts, delivery.attempts)
        else:
            delivery.status, delivery.error, delivery.sent_at = DeliveryStatus.SENT, "", timezone.now()
        delivery.save(update_fields=["status", "error", "sent_at", "attempts"])
    if retry:
        send_batch.apply_async((issue_id, retry), countdown=RETRY_DELAY * attempts)
    _finish_if_done(issue_id)


def _finish_if_done(issue_id: int) -> None:
    with transaction.atomic():
        issue = Issue.objects.select_for_update().filter(pk=issue_id, status=IssueStatus.SENDING).first()
        if issue is None:
            return
        open_rows = (
            issue.deliveries.filter(status=DeliveryStatus.PENDING).exists()
            or issue.deliveries.filter(status=DeliveryStatus.FAILED, attempts__lt=MAX_ATTEMPTS).exists()
        )
        if not open_rows:
            issue.status, issue.sent_at = IssueStatus.SENT, timezone.now()
            issue.save(update_fields=["status", "sent_at", "updated_at"])
