"""Writes of the access app (roles of users) and the generic save of plain records."""

from __future__ import annotations

from django.db import models, transaction

from access import permissions
from access.models import Membership
from access.scope import check_write
from common.db import validated_save


@transaction.atomic
def record_save(*, instance: models.Model, by) -> models.Model:
    """Save a record that has no rules beyond its model's and the table's (reference data, users)."""
    check_write(by=by, instance=instance)
    return validated_save(instance)


@transaction.atomic
def membership_save(*, membership: Membership, by) -> Membership:
    """Give a user a role; only the Regione manages users."""
    check_write(by=by, instance=membership)
    validated_save(membership)
    permissions.forget(membership.user)
    return membership
