"""Who may see and change what: the one place where roles become querysets.

Every admin, view, API and export narrows through `visible()` and asks `can()`; nothing
else in the code base decides access. Two tables drive it:

- ACTIONS: per role, which actions (view/add/change/delete) each model allows.
- SCOPES: per model, how a row is tied to an ambito, a school or a mediator, so that the
  rows a user may touch can be filtered in the database.

A role that a table does not mention gets nothing: access is granted, never assumed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from territories.models import StaffRole

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = frozenset({VIEW, ADD, CHANGE, DELETE})
READ = frozenset({VIEW})
EDIT = frozenset({VIEW, CHANGE})

COORDINATOR = StaffRole.COORDINATOR.value
OPERATOR = StaffRole.OPERATOR.value
SCHOOL_REFERENT = StaffRole.SCHOOL_REFERENT.value
MEDIATOR = "mediator"

# Reference data is loaded by `load_reference`; the Regione may correct it, ambiti only read it.
_REFERENCE = {COORDINATOR: EDIT, OPERATOR: READ}

ACTIONS: dict[str, dict[str, frozenset[str]]] = {
    "territories.provincia": _REFERENCE,
    "territories.comune": _REFERENCE,
    "territories.partnertype": {COORDINATOR: ALL, OPERATOR: READ},
    "plan.plan": _REFERENCE,
    "plan.macroazione": _REFERENCE,
    "services.servicecategory": {COORDINATOR: ALL, OPERATOR: READ},
    "services.language": {COORDINATOR: ALL, OPERATOR: READ},
    # An operator keeps their ambito's contacts and description; the Regione decides
    # which ambiti exist, who leads them and their budget (see READONLY_FOR_OPERATOR).
    "territories.ambito": {COORDINATOR: ALL, OPERATOR: EDIT},
    "territories.partner": {COORDINATOR: ALL, OPERATOR: ALL},
    "territories.networkmembership": {COORDINATOR: ALL, OPERATOR: ALL},
    "territories.membership": {COORDINATOR: ALL},
    "auth.user": {COORDINATOR: ALL},
    "auth.group": {COORDINATOR: ALL},
    "services.sportello": {COORDINATOR: ALL, OPERATOR: ALL},
    "services.openingslot": {COORDINATOR: ALL, OPERATOR: ALL},
    "services.closure": {COORDINATOR: ALL, OPERATOR: ALL},
    "services.guide": {COORDINATOR: ALL, OPERATOR: ALL},
    "services.guidestep": {COORDINATOR: ALL, OPERATOR: ALL},
    "content.material": {COORDINATOR: ALL, OPERATOR: ALL},
    "content.materialfile": {COORDINATOR: ALL, OPERATOR: ALL},
    "content.news": {COORDINATOR: ALL, OPERATOR: ALL},
    "schools.school": {COORDINATOR: ALL, OPERATOR: ALL, SCHOOL_REFERENT: READ},
    "mediation.mediator": {COORDINATOR: ALL, OPERATOR: ALL, MEDIATOR: EDIT},
    "reports.activity": {COORDINATOR: ALL, OPERATOR: ALL},
    # What the public sends: read and moderated in the back office, never written there.
    "feedback.pagefeedback": {COORDINATOR: frozenset({VIEW, DELETE}), OPERATOR: READ},
    # Login lock-outs: the Regione reads them and deletes an attempt to unlock an account.
    "axes.accessattempt": {COORDINATOR: frozenset({VIEW, DELETE})},
    "axes.accesslog": {COORDINATOR: READ},
    "axes.accessfailurelog": {COORDINATOR: READ},
    "feedback.report": {COORDINATOR: frozenset({VIEW, CHANGE, DELETE}), OPERATOR: EDIT},
    "reports.beneficiarygroup": {COORDINATOR: ALL, OPERATOR: ALL},
    # Pages that are not a model of their own: the indicators dashboard and the list of
    # content still to translate. Operators see their ambiti there, the Regione all.
    "reports.dashboard": {COORDINATOR: READ, OPERATOR: READ},
    "reports.translations": {COORDINATOR: READ, OPERATOR: READ},
    # --- ops (issue 15): background tasks that failed for good, and those waiting for the
    # broker. The Regione reads them; deleting a failed job marks it dealt with.
    "ops.failedjob": {COORDINATOR: frozenset({VIEW, DELETE})},
    "ops.outboxmessage": {COORDINATOR: READ},
    # Second-step devices: the Regione deletes a colleague's to reset a lost phone.
    "otp_totp.totpdevice": {COORDINATOR: frozenset({VIEW, DELETE})},
    "otp_static.staticdevice": {COORDINATOR: frozenset({VIEW, DELETE})},
    # --- end ops
}

# Fields of a record an operator may read but not change.
READONLY_FOR_OPERATOR: dict[str, tuple[str, ...]] = {
    "territories.ambito": (
        "name",
        "slug",
        "provincia",
        "capofila",
        "budget",
        "budget_extra",
        "coordinated_by",
        "is_demo",
        "source",
    ),
    "territories.partner": ("ambito", "is_demo"),
    "services.sportello": ("ambito", "is_demo"),
    "services.guide": ("ambito", "is_demo"),
    "content.material": ("ambito", "is_demo"),
    "content.news": ("ambito", "is_demo"),
    "schools.school": ("ambito", "is_demo"),
    "mediation.mediator": ("user", "is_demo"),
    "reports.activity": ("ambito", "created_by"),
}
READONLY_FOR_MEDIATOR: dict[str, tuple[str, ...]] = {
    "mediation.mediator": ("user", "first_name", "last_name", "ambiti", "is_demo"),
}


@dataclass(frozen=True)
class Scope:
    """How one model's rows hang on the things a role is bound to (ORM lookup paths)."""

    ambito: tuple[str, ...] = ()  # rows an operator sees: any path reaching one of their ambiti
    school: str | None = None  # rows a school referent sees
    mediator: str | None = None  # rows a mediator sees
    public: bool = False  # reference data everyone with a back-office role may read


SCOPES: dict[str, Scope] = {
    "territories.provincia": Scope(public=True),
    "territories.comune": Scope(public=True),
    "territories.partnertype": Scope(public=True),
    "plan.plan": Scope(public=True),
    "plan.macroazione": Scope(public=True),
    "services.servicecategory": Scope(public=True),
    "services.language": Scope(public=True),
    "territories.ambito": Scope(ambito=("pk",)),
    # Operators see the partners they registered and those in their network.
    "territories.partner": Scope(ambito=("ambito", "memberships__ambito")),
    "territories.networkmembership": Scope(ambito=("ambito",)),
    "territories.membership": Scope(),
    "auth.user": Scope(),
    "auth.group": Scope(),
    "services.sportello": Scope(ambito=("ambito",)),
    "services.openingslot": Scope(ambito=("sportello__ambito",)),
    "services.closure": Scope(ambito=("sportello__ambito",)),
    # Regional guides (no ambito) are the Regione's: operators see only their ambito's.
    "services.guide": Scope(ambito=("ambito",)),
    "services.guidestep": Scope(ambito=("guide__ambito",)),
    # Like guides: regional materials and news (no ambito) are the Regione's alone.
    "content.material": Scope(ambito=("ambito",)),
    "content.materialfile": Scope(ambito=("material__ambito",)),
    "content.news": Scope(ambito=("ambito",)),
    "schools.school": Scope(ambito=("ambito",), school="pk"),
    "mediation.mediator": Scope(ambito=("ambiti",), mediator="pk"),
    "reports.activity": Scope(ambito=("ambito",)),
    # Feedback on regional pages and reports from comuni outside any ambito: the Regione's.
    "feedback.pagefeedback": Scope(ambito=("ambito",)),
    "feedback.report": Scope(ambito=("ambito",)),
    "reports.beneficiarygroup": Scope(ambito=("activity__ambito",)),
    # --- ops (issue 15)
    "ops.failedjob": Scope(),
    "ops.outboxmessage": Scope(),
    "otp_totp.totpdevice": Scope(),
    "otp_static.staticdevice": Scope(),
    # --- end ops
}


@dataclass(frozen=True)
class Grants:
    """What one user is: resolved once per request and cached on the user object."""

    coordinator: bool = False
    ambito_ids: frozenset[int] = field(default_factory=frozenset)
    school_ids: frozenset[int] = field(default_factory=frozenset)
    mediator_id: int | None = None

    @property
    def roles(self) -> set[str]:
        roles = set()
        if self.coordinator:
            roles.add(COORDINATOR)
        if self.ambito_ids:
            roles.add(OPERATOR)
        if self.school_ids:
            roles.add(SCHOOL_REFERENT)
        if self.mediator_id:
            roles.add(MEDIATOR)
        return roles


NOBODY = Grants()


def grants_for(user: AbstractBaseUser | AnonymousUser | None) -> Grants:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, "_labimpact_grants", None)
    if cached is not None:
        return cached
    from mediation.models import Mediator
    from territories.models import Membership

    memberships = list(Membership.objects.filter(user=user).values_list("role", "ambito_id", "school_id"))
    grants = Grants(
        coordinator=user.is_superuser or any(role == COORDINATOR for role, _, _ in memberships),
        ambito_ids=frozenset(a for role, a, _ in memberships if role == OPERATOR and a),
        school_ids=frozenset(s for role, _, s in memberships if role == SCHOOL_REFERENT and s),
        mediator_id=Mediator.objects.filter(user=user).values_list("pk", flat=True).first(),
    )
    user._labimpact_grants = grants
    return grants


def forget(user) -> None:
    """Drop the cached grants (after a membership of this user changed)."""
    if hasattr(user, "_labimpact_grants"):
        del user._labimpact_grants


def _label(model: type[models.Model] | models.Model | str) -> str:
    """The "app.model" label of a model or instance; a page label ("reports.dashboard") as it is."""
    return model if isinstance(model, str) else model._meta.label_lower


def can(user, action: str, model: type[models.Model] | models.Model | str) -> bool:
    """May `user` perform `action` on this kind of record (or page label) at all, before row scope?"""
    table = ACTIONS.get(_label(model), {})
    return any(action in table.get(role, ()) for role in grants_for(user).roles)


def _in(path: str) -> str:
    return "pk__in" if path == "pk" else f"{path}__in"


def _condition(grants: Grants, label: str, action: str) -> Q | None:
    """The rows one action may touch, as a filter; None means every row."""
    table = ACTIONS.get(label, {})
    scope = SCOPES.get(label, Scope())
    if scope.public and action == VIEW and grants.roles:
        # Reference rows (comuni, languages, categories) are choices in everyone's forms,
        # even for roles that have no page of their own for them.
        return None
    roles = {role for role in grants.roles if action in table.get(role, ())}
    if not roles:
        return Q(pk__in=[])
    if COORDINATOR in roles or scope.public:
        return None
    # A user holding two roles reaches a row only through a role that allows this action
    # there: a mediator who is also a school referent edits their mediator record, never
    # their school (read-only for referents).
    condition = Q(pk__in=[])
    if OPERATOR in roles:
        for path in scope.ambito:
            condition |= Q(**{_in(path): grants.ambito_ids})
    if SCHOOL_REFERENT in roles and scope.school:
        condition |= Q(**{_in(scope.school): grants.school_ids})
    if MEDIATOR in roles and scope.mediator:
        condition |= Q(**{_in(scope.mediator): [grants.mediator_id]})
    return condition


def visible(user, queryset: models.QuerySet, action: str = VIEW) -> models.QuerySet:
    """The rows of `queryset` this user may see (or act on); none when the role gives no access."""
    model = queryset.model
    condition = _condition(grants_for(user), _label(model), action)
    if condition is None:
        return queryset
    # Paths through many-to-many relations would repeat rows; filter by pk instead of
    # calling distinct(), which breaks later annotations and ordering.
    return queryset.filter(pk__in=model._default_manager.filter(condition).values("pk"))


def can_access_object(user, action: str, obj: models.Model) -> bool:
    """May `user` perform `action` on this very row?

    Unrestricted roles need no query, which also lets the Regione read the history of a
    row that has been deleted.
    """
    condition = _condition(grants_for(user), _label(obj), action)
    if condition is None:
        return True
    return type(obj)._default_manager.filter(pk=obj.pk).filter(condition).exists()


def readonly_fields(user, model, obj=None) -> tuple[str, ...]:
    grants = grants_for(user)
    if grants.coordinator:
        return ()
    label = _label(model)
    if grants.ambito_ids and label in READONLY_FOR_OPERATOR:
        fields = READONLY_FOR_OPERATOR[label]
        # A new record is filed under one of the operator's ambiti (the choice is narrowed
        # to those); once filed, only the Regione moves it to another ambito.
        return tuple(f for f in fields if f != "ambito") if obj is None else fields
    if grants.mediator_id and label in READONLY_FOR_MEDIATOR:
        return READONLY_FOR_MEDIATOR[label]
    return ()


def ambito_choices(user):
    """Ambiti a user may file records under (for forms and services)."""
    from territories.models import Ambito

    grants = grants_for(user)
    if grants.coordinator:
        return Ambito.objects.all()
    return Ambito.objects.filter(pk__in=grants.ambito_ids)
