"""Mail about associations: decisions for proposers, a welcome for new representatives.

Tasks take ids, re-read the rows and render in the reader's language.
"""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from associations.models import Association, AssociationStatus, Representative
from labimpact.site_url import offline_origin


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_decision(association_id: int) -> None:
    association = Association.objects.filter(pk=association_id).first()
    if association is None or not association.proposer_email:
        return
    if association.status not in (AssociationStatus.PUBLISHED, AssociationStatus.REJECTED):
        return
    with translation.override(association.proposer_language):
        context = {"association": association, "site_url": offline_origin()}
        if association.status == AssociationStatus.PUBLISHED:
            context["page_url"] = offline_origin() + association.get_absolute_url()
        subject = render_to_string("associations/email/decision_subject.txt", context).strip()
        body = render_to_string("associations/email/decision.txt", context)
    send_mail(subject, body, None, [association.proposer_email])


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_representative_welcome(representative_id: int) -> None:
    representative = Representative.objects.select_related("user", "association").filter(pk=representative_id).first()
    if representative is None or not representative.user.email:
        return
    user = representative.user
    language = representative.association.proposer_language or "it"
    with translation.override(language):
        link = offline_origin() + reverse(
            "associations:set_password",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context = {"association": representative.association, "username": user.username, "link": link}
        subject = render_to_string("associations/email/welcome_subject.txt", context).strip()
        body = render_to_string("associations/email/welcome.txt", context)
    send_mail(subject, body, None, [user.email])
