"""Who a back-office user is: the roles they hold and where they hold them.

The roles themselves are declared in access/roles.py; the choices and the database
constraints of Membership are derived from those declarations. The table keeps the name it
had when Membership lived in `territories` (see docs/architecture.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from access.roles import BINDING_FIELDS, MEMBERSHIP_ROLES, membership_choices


def _role_matches_binding() -> Q:
    """Each role sets exactly one of its binding fields and none of the others."""
    condition = Q()
    for role in MEMBERSHIP_ROLES:
        for chosen in role.fields or (None,):
            empty = {f"{name}__isnull": name != chosen for name in BINDING_FIELDS}
            condition |= Q(role=role.key, **empty)
    return condition


def _unique_per_role() -> list[models.UniqueConstraint]:
    constraints = []
    for role in MEMBERSHIP_ROLES:
        for name in role.fields or (None,):
            fields = ["user", name] if name else ["user"]
            suffix = f"{role.key}_{name}" if len(role.fields) > 1 else role.key
            constraints.append(
                models.UniqueConstraint(fields=fields, condition=Q(role=role.key), name=f"membership_unique_{suffix}")
            )
    return constraints


class Membership(models.Model):
    """A role held by a user, bound to an ambito or a school (or to nothing, for the Regione).

    Mediators are recognised by their record in the mediator register (mediation.Mediator),
    not here; access.permissions.grants_for reads both.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("utente")
    )
    role = models.CharField(_("ruolo"), max_length=20, choices=membership_choices())
    ambito = models.ForeignKey(
        "territories.Ambito",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("ambito"),
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="referents",
        verbose_name=_("scuola"),
    )

    history = HistoricalRecords(table_name="territories_historicalmembership")

    class Meta:
        db_table = "territories_membership"
        verbose_name = _("ruolo di un utente")
        verbose_name_plural = _("ruoli degli utenti")
        constraints = [
            models.CheckConstraint(condition=_role_matches_binding(), name="membership_role_matches_scope"),
            *_unique_per_role(),
        ]

    def __str__(self) -> str:
        where = self.ambito or self.school or _("Regione Lombardia")
        return f"{self.user} — {self.get_role_display()} ({where})"
