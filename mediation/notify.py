"""E-mails about requests: who receives what, in their language, once.

Services queue tasks with `on_commit` (a rolled-back transition sends nothing); the tasks
(`mediation.tasks`) call `send`, which records a key per message so that a retried or
repeated task never mails twice.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def on_commit(task, *args) -> None:
    transaction.on_commit(lambda: task.delay(*args))


def language_of(user) -> str:
    """The language a user reads their notifications in: their role record's, else Italian.

    Operators and requesters have no role record with a language, so they read Italian
    (`LANGUAGE_CODE`); mediators, social workers and legal consultants chose theirs.
    """
    for related in ("mediator", "social_worker", "legal_consultant"):
        record = getattr(user, related, None) if user is not None else None
        if record is not None:
            return record.notify_language
    return settings.LANGUAGE_CODE


def operators_of(ambito_id: int):
    from access.models import Membership
    from access.roles import OPERATOR

    return get_user_model().objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(role=OPERATOR, ambito_id=ambito_id).values("user_id"),
    )


def send(
    *, key: str, user, template: str, context: dict, email: str | None = None, language: str | None = None
) -> bool:
    """Send one message to `user` in their language unless `key` was sent before.

    `language` is for a recipient known by a role record rather than a login (a mediator or a
    consultant with an address but no account): the record's `notify_language`.
    """
    from mediation.models import Notification

    address = email or (user.email if user is not None else "")
    if not address:
        return False
    full_key = f"{key}:{address}"[:120]
    with transaction.atomic():
        _, created = Notification.objects.get_or_create(key=full_key, defaults={"recipient": address})
        if not created:
            return False
        with translation.override(language or language_of(user)):
            subject = render_to_string(f"{template}_subject.txt", context).strip()
            body = render_to_string(f"{template}_body.txt", context)
        # A failure rolls the key back, so the retried task sends the message again.
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return True


# Names the services queue (resolved lazily: tasks import the services' models).
def __getattr__(name):
    if name in {"new_request", "assigned", "declined", "status_changed"}:
        from mediation import tasks

        return getattr(tasks, f"notify_{name}")
    raise AttributeError(name)
