"""Writes to the territory. Admin, imports, API and tasks all call these; none saves by hand."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from territories import permissions
from territories.models import Ambito, Membership, NetworkMembership, NetworkRole, Partner


def check_write(*, by, instance: models.Model, ambito: Ambito | None = None) -> None:
    """Refuse a write the user's role does not allow, before anything is saved.

    An existing row must be changeable by `by` as it stands in the database (so nobody
    moves someone else's record into their own ambito); the ambito it is filed under after
    the change must be one `by` works in.
    """
    if instance.pk is None:
        allowed = permissions.can(by, permissions.ADD, instance)
    else:
        allowed = permissions.can_access_object(by, permissions.CHANGE, instance)
    if not allowed:
        raise PermissionDenied(_("Non hai i permessi per modificare questo dato."))
    if ambito is not None and not permissions.ambito_choices(by).filter(pk=ambito.pk).exists():
        raise ValidationError({"ambito": _("Puoi registrare dati solo per il tuo ambito.")})


def check_regional(*, by, ambito: Ambito | None, message: str) -> None:
    """Content without an ambito speaks for the whole region: only the Regione writes it."""
    if ambito is None and not permissions.grants_for(by).coordinator:
        raise ValidationError({"ambito": message})


def validated_save(instance: models.Model) -> models.Model:
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def record_save(*, instance: models.Model, by) -> models.Model:
    """Save a record that has no rules beyond its model's (reference data, users)."""
    check_write(by=by, instance=instance)
    return validated_save(instance)


@transaction.atomic
def ambito_save(*, ambito: Ambito, by) -> Ambito:
    """Create or update an ambito (operators may only touch their own, and not its budget)."""
    check_write(by=by, instance=ambito, ambito=ambito if ambito.pk else None)
    return validated_save(ambito)


@transaction.atomic
def partner_save(*, partner: Partner, by) -> Partner:
    """Create or update a partner; a new one registered by an operator joins their network."""
    grants = permissions.grants_for(by)
    if partner.ambito_id is None and not grants.coordinator:
        if len(grants.ambito_ids) != 1:
            raise ValidationError({"ambito": _("Indica l'ambito a cui appartiene il partner.")})
        partner.ambito_id = next(iter(grants.ambito_ids))
    is_new = partner.pk is None
    check_write(by=by, instance=partner, ambito=partner.ambito)
    validated_save(partner)
    if is_new and partner.ambito_id:
        NetworkMembership.objects.get_or_create(
            ambito_id=partner.ambito_id, partner=partner, defaults={"role": NetworkRole.PARTNER}
        )
    return partner


@transaction.atomic
def network_membership_save(*, membership: NetworkMembership, by) -> NetworkMembership:
    check_write(by=by, instance=membership, ambito=membership.ambito)
    return validated_save(membership)


@transaction.atomic
def membership_save(*, membership: Membership, by) -> Membership:
    """Give a user a role; only the Regione manages users."""
    check_write(by=by, instance=membership)
    validated_save(membership)
    permissions.forget(membership.user)
    return membership
