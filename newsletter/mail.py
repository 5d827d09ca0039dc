"""The messages of the newsletter, each rendered in its subscriber's language."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from labimpact.site_url import offline_origin
from newsletter import tokens


def unsubscribe_url(subscriber) -> str:
    with translation.override(subscriber.language):
        return offline_origin() + reverse("newsletter:unsubscribe", args=[tokens.unsubscribe_token(subscriber)])


def _message(subscriber, subject: str, body: str) -> EmailMessage:
    link = unsubscribe_url(subscriber)
    return EmailMessage(
        subject=subject,
        body=body,
        to=[subscriber.email],
        headers={
            # RFC 2369 and RFC 8058: mail apps offer "unsubscribe" and may do it in one click.
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": subscriber.language,
        },
    )


def issue_text(issue, language: str) -> tuple[str, str]:
    """Subject and body of an issue in `language` (Italian where it is not translated)."""
    with translation.override(language):
        return issue.subject, issue.body


def issue_message(issue, subscriber) -> EmailMessage:
    subject, text = issue_text(issue, subscriber.language)
    with translation.override(subscriber.language):
        body = render_to_string(
            "newsletter/email/issue.txt", {"text": text, "unsubscribe_url": unsubscribe_url(subscriber)}
        )
    return _message(subscriber, subject, body)


def confirmation_message(subscriber) -> EmailMessage:
    with translation.override(subscriber.language):
        confirm = offline_origin() + reverse("newsletter:confirm", args=[tokens.confirm_token(subscriber)])
        context = {"confirm_url": confirm, "unsubscribe_url": unsubscribe_url(subscriber)}
        subject = render_to_string("newsletter/email/confirm_subject.txt", context).strip()
        body = render_to_string("newsletter/email/confirm.txt", context)
    return _message(subscriber, subject, body)
