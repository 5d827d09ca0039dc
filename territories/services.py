"""Writes to the territory. Admin, imports, API and tasks all call these; none saves by hand."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access import permissions
from access.scope import check_write
from common.db import validated_save
from territories.models import Ambito, NetworkMembership, NetworkRole, Partner


@transaction.atomic
def ambito_save(*, ambito: Ambito, by) -> Ambito:
    """Create or update an ambito (operators may only touch their own, and not its budget)."""
    check_write(by=by, instance=ambito, ambito=ambito if ambito.pk else None)
    return validated_save(ambito)


@transaction.atomic
def partner_save(*, partner: Partner, by) -> Partner:
    """Create or update a partner; a new one registered by an operator joins their network."""
    is_new = partner.pk is None
    if is_new and partner.ambito_id is None and not permissions.grants_for(by).coordinator:
        # Regional partners (no ambito) are the Regione's: an operator's new partner is
        # filed under their ambito.
        ambiti = list(permissions.ambito_choices(by, Partner).values_list("pk", flat=True)[:2])
        if len(ambiti) != 1:
            raise ValidationError({"ambito": _("Indica l'ambito a cui appartiene il partner.")})
        partner.ambito_id = ambiti[0]
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
