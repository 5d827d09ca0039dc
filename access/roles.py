"""The roles of the portal, declared once.

A role says what a user is and how to find the rows it is bound to:

- `key`, `label`: stored in Membership.role and shown in the admin;
- `binds`: the kind of ids the role resolves to ("ambito", "school", "mediator", ...), which
  picks the matching ORM paths of each model's Scope in access/permissions.py; None means
  the role is not bound (the Regione coordinator reaches every row its actions allow);
- `fields`: the Membership fields that hold the binding. A membership of this role sets
  exactly one of them and leaves every other binding field empty (the database constraints
  of Membership are derived from this); roles held outside Membership (the mediator, whose
  record in the register carries the user) have none;
- `resolve`: how the ids of `binds` are found for a user, given their membership rows of this
  role; by default the values of the binding field named like `binds`.

Adding a role: declare it in ROLES below, add a binding field to Membership if it needs a
new one, give it rows in ACTIONS (and FIELDS, Scope paths for a new kind of binding) in
access/permissions.py, then `makemigrations access` (choices and constraints follow).
This module imports no model: the table, the backend and Membership all read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

COORDINATOR = "coordinator"
OPERATOR = "operator"
SCHOOL_REFERENT = "school_referent"
MEDIATOR = "mediator"

# Every Membership field that can bind a role (and must be empty for the other roles).
BINDING_FIELDS = ("ambito", "school")


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    binds: str | None = None
    fields: tuple[str, ...] = ()
    in_membership: bool = True
    # (user, membership rows of this role as dicts of binding field → id) → ids of `binds`.
    resolve: Callable[[object, list[dict]], Iterable[int]] | None = None

    def ids_for(self, user, rows: list[dict]) -> frozenset[int]:
        if self.resolve is not None:
            return frozenset(self.resolve(user, rows))
        return frozenset(row[self.binds] for row in rows if row.get(self.binds))


def _mediator_record(user, rows):
    """A mediator is recognised by their entry in the register (mediation.Mediator.user)."""
    from django.apps import apps

    Mediator = apps.get_model("mediation", "Mediator")
    return Mediator.objects.filter(user=user).values_list("pk", flat=True)[:1]


ROLES: dict[str, Role] = {
    role.key: role
    for role in [
        Role(COORDINATOR, _("Coordinatore regionale")),
        Role(OPERATOR, _("Operatore di ambito"), binds="ambito", fields=("ambito",)),
        Role(SCHOOL_REFERENT, _("Referente scolastico"), binds="school", fields=("school",)),
        Role(MEDIATOR, _("Mediatore"), binds="mediator", in_membership=False, resolve=_mediator_record),
    ]
}

# Roles given through Membership rows (the admin's "ruoli degli utenti").
MEMBERSHIP_ROLES = [role for role in ROLES.values() if role.in_membership]


def membership_choices() -> list[tuple[str, str]]:
    return [(role.key, role.label) for role in MEMBERSHIP_ROLES]
