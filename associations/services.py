"""Writes to associations and events: the public form, the admin, the demo loader and tasks call these."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from access import permissions
from access.roles import ASSOCIATION_REP
from access.scope import check_write
from associations.models import Association, AssociationStatus, Event, Representative
from common.db import validated_save


def represented(user) -> int | None:
    """The association `user` keeps, when representing it is their only role (else None)."""
    grants = permissions.grants_for(user)
    if grants.roles != {ASSOCIATION_REP}:
        return None
    return next(iter(grants.ids("association")), None)


def _moderates(user, association: Association) -> bool:
    """Publishing, rejecting and giving accounts: the ambito or the Regione, never the representative."""
    return bool(permissions.roles_for_object(user, permissions.CHANGE, association) - {ASSOCIATION_REP})


def unique_slug(model, text: str, *, exclude_pk=None) -> str:
    base = (slugify(text) or "voce")[:100].strip("-")
    slug, n = base, 1
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def association_propose(*, association: Association, languages: Iterable = (), topics: Iterable = ()) -> Association:
    """File a public proposal in the queue of its comune's ambito (nothing is public yet)."""
    association.pk = None
    association.status = AssociationStatus.PROPOSED
    association.is_demo = False
    association.ambito_id = association.comune.ambito_id
    association.slug = unique_slug(Association, association.name)
    validated_save(association)
    association.languages.set(languages)
    association.topics.set(topics)
    return association


@transaction.atomic
def association_save(*, association: Association, by) -> Association:
    """Create or update an association from the back office (status changes go through publish/reject)."""
    if association.comune_id and association.pk is None:
        association.ambito_id = association.ambito_id or association.comune.ambito_id
    if not association.slug:
        association.slug = unique_slug(Association, association.name, exclude_pk=association.pk)
    # A representative keeps the page where the ambito filed it (a field rule of the table).
    check_write(by=by, instance=association, ambito=None if represented(by) else association.ambito)
    if association.pk is not None:
        stored = Association.objects.get(pk=association.pk)
        if stored.status != association.status and not permissions.grants_for(by).coordinator:
            raise ValidationError({"status": _("Lo stato cambia solo con «Pubblica» o «Non pubblicare».")})
    if association.logo and not association.logo._committed:
        from content.uploads import head, sniff

        kind = sniff(head(association.logo))
        association.logo_type = kind.content_type if kind else ""
    return validated_save(association)


def _decide(*, association: Association, status: str, by, note: str) -> Association:
    if not _moderates(by, association):
        raise PermissionDenied(_("Non hai i permessi per modificare questo dato."))
    if association.status == status:
        return association
    association.status = status
    association.decision_note = note or association.decision_note
    association.reviewed_by = by
    association.reviewed_at = timezone.now()
    validated_save(association)
    if association.proposer_email:
        from associations.tasks import send_decision

        transaction.on_commit(lambda: send_decision.delay(association.pk))
    return association


@transaction.atomic
def association_publish(*, association: Association, by, note: str = "") -> Association:
    """Put the association on the site; its proposer is told by e-mail."""
    return _decide(association=association, status=AssociationStatus.PUBLISHED, by=by, note=note)


@transaction.atomic
def association_reject(*, association: Association, by, note: str = "") -> Association:
    """Keep the association off the site; its proposer is told why by e-mail."""
    return _decide(association=association, status=AssociationStatus.REJECTED, by=by, note=note)


@transaction.atomic
def representative_create(*, association: Association, email: str, by, username: str = "") -> Representative:
    """Give a published association a back-office account that keeps its page and events.

    The account has no usable password: the representative chooses one through the link
    e-mailed to them (a task on commit).
    """
    if not _moderates(by, association):
        raise PermissionDenied(_("Non hai i permessi per modificare questo dato."))
    if association.status != AssociationStatus.PUBLISHED:
        raise ValidationError(_("Pubblica l'associazione prima di darle un referente."))
    User = get_user_model()
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Indica l'email del referente.")})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Esiste già un utente con questa email.")})
    base = re.sub(r"[^a-z0-9]+", "_", (username or email.split("@")[0]).lower()).strip("_")[:30] or "referente"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}{n}"
    user = User(username=username, email=email, is_staff=True)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    representative = validated_save(Representative(user=user, association=association))
    from associations.tasks import send_representative_welcome

    transaction.on_commit(lambda: send_representative_welcome.delay(representative.pk))
    return representative


@transaction.atomic
def event_save(*, event: Event, by) -> Event:
    """Create or update an event; a representative's events belong to their association and its ambito."""
    own = represented(by)
    if own is not None:
        # A representative's events belong to their association, whatever was posted.
        if event.pk is None:
            event.association_id = own
        elif Event.objects.filter(pk=event.pk).values_list("association_id", flat=True).first() != own:
            raise PermissionDenied(_("Non hai i permessi per modificare questo dato."))
        event.association_id = own
        event.partner = None
    if event.association_id and not event.ambito_id:
        # An association's event is in its ambito (the model's clean() refuses another one).
        event.ambito_id = Association.objects.values_list("ambito_id", flat=True).get(pk=event.association_id)
    if not event.slug:
        event.slug = unique_slug(Event, event.title_it or event.title or "evento", exclude_pk=event.pk)
    ambito = event.ambito if event.ambito_id else None
    # A representative files events under their association, not under ambiti of their own.
    check_write(by=by, instance=event, ambito=None if own is not None else ambito)
    if ambito is None:
        raise ValidationError({"ambito": _("Indica l'ambito dell'evento.")})
    return validated_save(event)


@transaction.atomic
def event_to_activity(*, event: Event, by, hours=None, attendance: Iterable = ()):
    """Record a past event as an activity of the activity log (macro-azione of the event or 4).

    `attendance` are unsaved reports.BeneficiaryGroup rows (sex × age band × origin × type
    → count), saved with the activity by reports.services.activity_record (all or nothing).
    """
    from plan.models import MacroAzione, Plan
    from reports.models import Activity, ActivityKind
    from reports.services import activity_record, default_macro_azione

    if event.activity_id:
        raise ValidationError(_("Questo evento è già registrato come attività."))
    if event.series_end > timezone.now():
        raise ValidationError(_("Un evento diventa un'attività solo dopo che si è svolto."))
    if not permissions.can(by, permissions.ADD, Activity):
        raise PermissionDenied(_("Non hai i permessi per modificare questo dato."))
    start = timezone.localtime(event.start).date()
    end = timezone.localtime(event.series_end).date()
    if hours is None:
        hours = round(
            (event.end - event.start).total_seconds() / 3600 * len(event.occurrences(after=event.start, limit=520)), 1
        )
    # Macro-azioni belong to a plan: log the event under the same macro-azione of the plan
    # whose period (with the ambito's extension) covers the day it took place.
    macro = event.macro_azione
    if macro is not None and not macro.plan.covers(start, event.ambito_id):
        plans = [plan.pk for plan in Plan.objects.covering(start, event.ambito_id)]
        macro = MacroAzione.objects.filter(number=macro.number, plan__in=plans).first() or macro
    activity = Activity(
        ambito=event.ambito,
        macro_azione=macro
        or default_macro_azione(ActivityKind.ASSOCIATION_INITIATIVE, day=start, ambito_id=event.ambito_id),
        kind=ActivityKind.ASSOCIATION_INITIATIVE,
        title=event.title_it or event.title,
        start_date=start,
        end_date=end,
        hours=max(hours, 0.5),
        place=event.place,
        comune=event.comune,
        notes=_("Dall'evento «%(title)s».") % {"title": event.title_it or event.title},
    )
    partners = [event.partner] if event.partner_id else []
    activity_record(activity=activity, rows=list(attendance), by=by)
    if partners:
        activity.partners.set(partners)
    event.activity = activity
    event.save(update_fields=["activity", "updated_at"])
    return activity
