"""Signed links of the newsletter: confirm (expires) and unsubscribe.

Both carry the subscriber's id and a hash of their address, signed with a salt of their
own (a confirm token never unsubscribes, nor the other way round). Nothing is stored.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
# An unsubscribe link works for a year after the message that carried it.
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600


def _value(subscriber) -> str:
    digest = hashlib.sha256(subscriber.email.lower().encode()).hexdigest()[:16]
    return f"{subscriber.pk}:{digest}"


def make(subscriber, salt: str) -> str:
    return signing.TimestampSigner(salt=salt).sign(_value(subscriber))


def read(token: str, salt: str, max_age: int):
    """The subscriber a token names; raises signing.BadSignature (incl. SignatureExpired)."""
    from newsletter.models import Subscriber

    value = signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
    pk = value.partition(":")[0]
    subscriber = Subscriber.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    if subscriber is None or _value(subscriber) != value:
        raise signing.BadSignature("unknown subscriber")
    return subscriber


def confirm_token(subscriber) -> str:
    return make(subscriber, CONFIRM_SALT)


def unsubscribe_token(subscriber) -> str:
    return make(subscriber, UNSUBSCRIBE_SALT)


def read_confirm(token: str):
    return read(token, CONFIRM_SALT, settings.NEWSLETTER_CONFIRM_MAX_AGE)


def read_unsubscribe(token: str):
    return read(token, UNSUBSCRIBE_SALT, UNSUBSCRIBE_MAX_AGE)
