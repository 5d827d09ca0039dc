"""Who may see and change what: the one table where roles become querysets.

Every admin, view, API, import, task and service narrows through `visible()` and asks
`can()` / `can_access_object()` (or `user.has_perm()`, answered from here by
access.backend); nothing else in the code base decides access. Three tables drive it:

- ACTIONS: per model (or page label), per role, the actions (view/add/change/delete) allowed;
- SCOPES: per model, the ORM paths tying a row to what a role is bound to (its `binds` in
  access/roles.py: an ambito, a school, a mediator record...), so that the rows a user may
  touch are filtered in the database;
- FIELDS: per model, per role, the fields that role may read but never change (enforced by
  the services whatever the caller, and shown read-only in the admin).

A role that a table does not mention gets nothing: access is granted, never assumed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from access.roles import (
    ASSOCIATION_REP,
    COORDINATOR,
    LEGAL_CONSULTANT,
    MEDIATOR,
    OPERATOR,
    ROLES,
    SCHOOL_REFERENT,
    SOCIAL_WORKER,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = frozenset({VIEW, ADD, CHANGE, DELETE})
READ = frozenset({VIEW})
EDIT = frozenset({VIEW, CHANGE})

# Reference data is loaded by `load_reference`; the Regione may correct it, ambiti only read it.
_REFERENCE = {COORDINATOR: EDIT, OPERATOR: READ}

ACTIONS: dict[str, dict[str, frozenset[str]]] = {
    "territories.provincia": _REFERENCE,
    "territories.comune": _REFERENCE,
    "territories.partnertype": {COORDINATOR: ALL, OPERATOR: READ},
    # Plans and their periods are data the Regione keeps: it adds successor plans, their
    # macro-azioni and per-ambito extensions; ambiti read them (issue 11).
    "plan.plan": {COORDINATOR: ALL, OPERATOR: READ},
    "plan.macroazione": {COORDINATOR: ALL, OPERATOR: READ},
    "plan.planextension": {COORDINATOR: ALL, OPERATOR: READ},
    "services.servicecategory": {COORDINATOR: ALL, OPERATOR: READ},
    "services.language": {COORDINATOR: ALL, OPERATOR: READ},
    # An operator keeps their ambito's contacts and description; the Regione decides
    # which ambiti exist, who leads them and their budget (see FIELDS).
    "territories.ambito": {COORDINATOR: ALL, OPERATOR: EDIT},
    "territories.partner": {COORDINATOR: ALL, OPERATOR: ALL},
    "territories.networkmembership": {COORDINATOR: ALL, OPERATOR: ALL},
    "access.membership": {COORDINATOR: ALL},
    "auth.user": {COORDINATOR: ALL},
    "auth.group": {COORDINATOR: ALL},
    "services.sportello": {COORDINATOR: ALL, OPERATOR: ALL},
    "services.openingslot": {COORDINATOR: ALL, OPERATOR: ALL},
    "services.closure": {COORDINATOR: ALL, OPERATOR: ALL},
    "services.guide": {COORDINATOR: ALL, OPERATOR: ALL},
    "services.guidestep": {COORDINATOR: ALL, OPERATOR: ALL},
    "services.guidesource": {COORDINATOR: ALL, OPERATOR: ALL},
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
    # Mediation on call and legal consultancy (issue 10). A transition of a request's life
    # cycle is a label of its own ("mediation.request_assign") with the scope through which
    # each role reaches the request: `can_act(user, label, obj)` answers it.
    "schools.plesso": {COORDINATOR: ALL, OPERATOR: ALL, SCHOOL_REFERENT: READ},
    "mediation.mediatorlanguage": {COORDINATOR: ALL, OPERATOR: ALL, MEDIATOR: READ},
    "mediation.training": {COORDINATOR: ALL, OPERATOR: ALL, MEDIATOR: READ},
    "mediation.availability": {COORDINATOR: ALL, OPERATOR: ALL, MEDIATOR: ALL},
    "mediation.absence": {COORDINATOR: ALL, OPERATOR: ALL, MEDIATOR: ALL},
    "mediation.socialworker": {COORDINATOR: ALL, OPERATOR: ALL},
    # Requests are filed through their page and service only ("mediation.request_submit"),
    # never as a bare row: the admin lists them read-only.
    "mediation.mediationrequest": {
        COORDINATOR: READ,
        OPERATOR: READ,
        SCHOOL_REFERENT: READ,
        SOCIAL_WORKER: READ,
        MEDIATOR: READ,
    },
    "mediation.request_submit": {SCHOOL_REFERENT: READ, SOCIAL_WORKER: READ},
    "mediation.request_triage": {COORDINATOR: READ, OPERATOR: READ},
    "mediation.request_reject": {COORDINATOR: READ, OPERATOR: READ},
    "mediation.request_assign": {COORDINATOR: READ, OPERATOR: READ},
    "mediation.request_confirm": {MEDIATOR: READ},
    "mediation.request_decline": {MEDIATOR: READ},
    "mediation.request_session": {MEDIATOR: READ},
    "mediation.request_complete": {COORDINATOR: READ, OPERATOR: READ, MEDIATOR: READ},
    "mediation.request_cancel": {COORDINATOR: READ, OPERATOR: READ, SCHOOL_REFERENT: READ, SOCIAL_WORKER: READ},
    "mediation.queue": {COORDINATOR: READ, OPERATOR: READ},
    "mediation.measures": {COORDINATOR: READ, OPERATOR: READ},
    # Data-subject requests of a mediator: access (export) and erasure, the Regione only.
    "mediation.mediator_personal_data": {COORDINATOR: READ},
    "legal.legalconsultant": {COORDINATOR: ALL, OPERATOR: READ, LEGAL_CONSULTANT: READ},
    "legal.consultation": {COORDINATOR: READ, OPERATOR: frozenset({VIEW, ADD}), LEGAL_CONSULTANT: READ},
    "legal.consultation_answer": {LEGAL_CONSULTANT: READ},
    "legal.consultation_schedule": {LEGAL_CONSULTANT: READ},
    "legal.consultation_cancel": {COORDINATOR: READ, OPERATOR: READ},
    "legal.faq": {COORDINATOR: ALL, OPERATOR: READ, LEGAL_CONSULTANT: READ},
    # Associations: the ambito moderates and publishes; a representative keeps its page and events.
    "associations.association": {COORDINATOR: ALL, OPERATOR: ALL, ASSOCIATION_REP: EDIT},
    # Accounts are made by representative_create (from the association's page), not added here.
    "associations.representative": {COORDINATOR: EDIT | {DELETE}, OPERATOR: EDIT | {DELETE}},
    "associations.event": {COORDINATOR: ALL, OPERATOR: ALL, ASSOCIATION_REP: ALL},
    # Newsletter addresses are read (and exported) by the Regione only; operators compose issues.
    "newsletter.subscriber": {COORDINATOR: frozenset({VIEW, DELETE})},
    "newsletter.issue": {COORDINATOR: ALL, OPERATOR: ALL},
    # Exports run as jobs; each exporter names one of these labels (reports/exporters.py)
    # and narrows its rows through visible(). Jobs are their requester's own: the admin
    # lists and serves only the user's jobs. Imports save through the services, which
    # keep operators in their ambito.
    "reports.export": {COORDINATOR: READ, OPERATOR: READ},
    "reports.export_mediators": {COORDINATOR: READ},
    "reports.exportjob": {COORDINATOR: frozenset({VIEW, DELETE}), OPERATOR: frozenset({VIEW, DELETE})},
    # Large imports run as jobs, their uploader's own like export jobs (reports/admin_imports.py).
    "reports.importjob": {COORDINATOR: frozenset({VIEW, DELETE}), OPERATOR: frozenset({VIEW, DELETE})},
    "reports.import": {COORDINATOR: READ, OPERATOR: READ},
    # Background tasks that failed for good, and those waiting for the broker (ops): the
    # Regione reads them; deleting a failed job marks it dealt with.
    "ops.failedjob": {COORDINATOR: frozenset({VIEW, DELETE})},
    "ops.outboxmessage": {COORDINATOR: READ},
    # Second-step devices (twofactor): the Regione deletes a colleague's to reset a lost phone.
    "otp_totp.totpdevice": {COORDINATOR: frozenset({VIEW, DELETE})},
    "otp_static.staticdevice": {COORDINATOR: frozenset({VIEW, DELETE})},
}

# Labels of ACTIONS that name a page, not a model (`user.has_perm("reports.view_dashboard")`).
PAGES = frozenset(
    {
        "reports.dashboard",
        "reports.translations",
        "reports.export",
        "reports.export_mediators",
        "reports.import",
        "mediation.queue",
        "mediation.measures",
        "mediation.mediator_personal_data",
        *(label for label in ACTIONS if label.startswith(("mediation.request_", "legal.consultation_"))),
    }
)

# Fields a role may read but not change. "ambito" is set once, when the row is created
# (narrowed to the role's ambiti); afterwards only the Regione moves a row.
_FILED = ("ambito", "is_demo")
FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "territories.ambito": {
        OPERATOR: (
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
    },
    "territories.partner": {OPERATOR: _FILED},
    "services.sportello": {OPERATOR: _FILED},
    "services.guide": {OPERATOR: _FILED},
    "content.material": {OPERATOR: _FILED},
    "content.news": {OPERATOR: _FILED},
    "schools.school": {OPERATOR: _FILED},
    "mediation.mediator": {
        OPERATOR: ("user", "is_demo"),
        MEDIATOR: ("user", "first_name", "last_name", "ambiti", "is_demo"),
    },
    "reports.activity": {OPERATOR: ("ambito", "created_by")},
    # Status moves through association_publish / association_reject, never by editing.
    "associations.association": {
        OPERATOR: ("ambito", "status", "is_demo", "reviewed_by", "reviewed_at"),
        ASSOCIATION_REP: (
            "name",
            "slug",
            "ambito",
            "comune",
            "status",
            "active",
            "is_demo",
            "proposer_name",
            "proposer_email",
            "proposer_language",
            "decision_note",
            "reviewed_by",
            "reviewed_at",
        ),
    },
    # A representative's events are filed under their association by event_save (no partner).
    "associations.event": {
        OPERATOR: ("ambito", "is_demo", "activity"),
        ASSOCIATION_REP: ("ambito", "is_demo", "activity"),
    },
    "newsletter.issue": {OPERATOR: ("ambito", "status")},
}
# Fields of FIELDS a role may still choose when it creates the row (filed under one of its ambiti).
SET_ON_CREATE = frozenset({"ambito"})


class Scope:
    """How one model's rows hang on what roles are bound to: ORM lookup paths per binding kind.

    `Scope(ambito=("ambito", "memberships__ambito"), school="pk")`: an operator reaches the
    rows whose `ambito` is one of theirs; a school referent the rows whose pk is their school.
    `view={...}` adds paths that reach a row for reading only (a partner in an ambito's
    network is shown there, but only the ambito that registered it edits it).
    `exclusive=("ambiti",)`: a row reached through this many-to-many path may be deleted only
    when all of its links are the user's (a mediator shared by two ambiti is not deleted by
    one of them). `public`: reference rows every back-office role may read as form choices.
    """

    def __init__(self, *, public: bool = False, view=None, exclusive=(), **paths):
        self.public = public
        self.paths = {kind: (p,) if isinstance(p, str) else tuple(p) for kind, p in paths.items()}
        self.view_paths = {kind: (p,) if isinstance(p, str) else tuple(p) for kind, p in (view or {}).items()}
        self.exclusive = tuple(exclusive)

    def paths_for(self, kind: str | None, action: str) -> tuple[str, ...]:
        extra = self.view_paths.get(kind, ()) if action == VIEW else ()
        return self.paths.get(kind, ()) + extra

    def all_paths(self):
        for kind, paths in (*self.paths.items(), *self.view_paths.items()):
            for path in paths:
                yield kind, path


SCOPES: dict[str, Scope] = {
    "territories.provincia": Scope(public=True),
    "territories.comune": Scope(public=True),
    "territories.partnertype": Scope(public=True),
    "plan.plan": Scope(public=True),
    "plan.macroazione": Scope(public=True),
    "plan.planextension": Scope(public=True),
    "services.servicecategory": Scope(public=True),
    "services.language": Scope(public=True),
    "territories.ambito": Scope(ambito="pk"),
    # Operators edit the partners their ambito registered and read those in their network;
    # regional partners (no ambito) are the Regione's even when they sit in a network.
    "territories.partner": Scope(ambito="ambito", view={"ambito": "memberships__ambito"}),
    "territories.networkmembership": Scope(ambito="ambito"),
    "access.membership": Scope(),
    "auth.user": Scope(),
    "auth.group": Scope(),
    "services.sportello": Scope(ambito="ambito"),
    "services.openingslot": Scope(ambito="sportello__ambito"),
    "services.closure": Scope(ambito="sportello__ambito"),
    # Regional guides (no ambito) are the Regione's: operators see only their ambito's.
    "services.guide": Scope(ambito="ambito"),
    "services.guidestep": Scope(ambito="guide__ambito"),
    "services.guidesource": Scope(ambito="guide__ambito"),
    # Like guides: regional materials and news (no ambito) are the Regione's alone.
    "content.material": Scope(ambito="ambito"),
    "content.materialfile": Scope(ambito="material__ambito"),
    "content.news": Scope(ambito="ambito"),
    "schools.school": Scope(ambito="ambito", school="pk"),
    "mediation.mediator": Scope(ambito="ambiti", mediator="pk", exclusive=("ambiti",)),
    "reports.activity": Scope(ambito="ambito"),
    # Feedback on regional pages and reports from comuni outside any ambito: the Regione's.
    "feedback.pagefeedback": Scope(ambito="ambito"),
    "feedback.report": Scope(ambito="ambito"),
    "reports.beneficiarygroup": Scope(ambito="activity__ambito"),
    # Export jobs belong to the user who asked, not to an ambito: no role reaches them
    # through visible(); reports/admin_exports.py serves each user their own jobs only.
    "reports.exportjob": Scope(),
    "reports.importjob": Scope(),
    "axes.accessattempt": Scope(),
    "axes.accesslog": Scope(),
    "axes.accessfailurelog": Scope(),
    # Mediation on call and legal consultancy (issue 10).
    "schools.plesso": Scope(ambito="school__ambito", school="school"),
    "mediation.mediatorlanguage": Scope(ambito="mediator__ambiti", mediator="mediator"),
    "mediation.training": Scope(ambito="mediator__ambiti", mediator="mediator"),
    "mediation.availability": Scope(ambito="mediator__ambiti", mediator="mediator"),
    "mediation.absence": Scope(ambito="mediator__ambiti", mediator="mediator"),
    "mediation.socialworker": Scope(ambito="ambito"),
    "mediation.mediationrequest": Scope(
        ambito="ambito", school="school", mediator="mediator", social_worker="social_worker"
    ),
    # A consultant on call for a provincia serves the desks of every ambito in it.
    "legal.legalconsultant": Scope(ambito=("ambito", "provincia__ambiti"), legal_consultant="pk"),
    "legal.consultation": Scope(ambito="ambito", legal_consultant="consultant"),
    # Reusable answers are shared with every operator of the ambito they came from.
    "legal.faq": Scope(ambito="ambito", legal_consultant="consultant"),
    "associations.association": Scope(ambito="ambito", association="pk"),
    "associations.representative": Scope(ambito="association__ambito"),
    "associations.event": Scope(ambito="ambito", association="association"),
    # Topics are reference rows: choices in everyone's forms, no page of their own.
    "associations.topic": Scope(public=True),
    "newsletter.subscriber": Scope(),
    "newsletter.issue": Scope(ambito="ambito"),
    "ops.failedjob": Scope(),
    "ops.outboxmessage": Scope(),
    "otp_totp.totpdevice": Scope(),
    "otp_static.staticdevice": Scope(),
}

# Actions on one row beyond view/add/change/delete — the transitions of a request's life
# cycle (issue 10): label → (model label, the Scope through which each role reaches the row).
# The roles allowed are rows of ACTIONS like any page; `can_act(user, label, obj)` answers.
ROW_ACTIONS: dict[str, tuple[str, Scope]] = {
    "mediation.request_triage": ("mediation.mediationrequest", Scope(ambito="ambito")),
    "mediation.request_reject": ("mediation.mediationrequest", Scope(ambito="ambito")),
    "mediation.request_assign": ("mediation.mediationrequest", Scope(ambito="ambito")),
    "mediation.request_confirm": ("mediation.mediationrequest", Scope(mediator="mediator")),
    "mediation.request_decline": ("mediation.mediationrequest", Scope(mediator="mediator")),
    "mediation.request_session": ("mediation.mediationrequest", Scope(mediator="mediator")),
    "mediation.request_complete": ("mediation.mediationrequest", Scope(ambito="ambito", mediator="mediator")),
    "mediation.request_cancel": (
        "mediation.mediationrequest",
        Scope(ambito="ambito", school="school", social_worker="social_worker"),
    ),
    "legal.consultation_answer": ("legal.consultation", Scope(legal_consultant="consultant")),
    "legal.consultation_schedule": ("legal.consultation", Scope(legal_consultant="consultant")),
    "legal.consultation_cancel": ("legal.consultation", Scope(ambito="ambito")),
}


@dataclass(frozen=True)
class Grants:
    """What one user is: resolved once per request and cached on the user object.

    `bindings` maps each role the user holds to the ids it is bound to (empty for roles
    bound to nothing, such as the Regione coordinator).
    """

    bindings: dict[str, frozenset[int]] = field(default_factory=dict)

    @property
    def roles(self) -> set[str]:
        return set(self.bindings)

    @property
    def coordinator(self) -> bool:
        return COORDINATOR in self.bindings

    def ids(self, kind: str) -> frozenset[int]:
        """Every id of this kind (e.g. "ambito") the user's roles are bound to."""
        found = frozenset()
        for role, ids in self.bindings.items():
            if ROLES[role].binds == kind:
                found |= ids
        return found

    @property
    def ambito_ids(self) -> frozenset[int]:
        return self.ids("ambito")

    @property
    def school_ids(self) -> frozenset[int]:
        return self.ids("school")

    @property
    def mediator_id(self) -> int | None:
        return next(iter(self.ids("mediator")), None)


NOBODY = Grants()


def grants_for(user: AbstractBaseUser | AnonymousUser | None) -> Grants:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, "_labimpact_grants", None)
    if cached is not None:
        return cached
    if user.pk is None:
        # An unsaved user (loaders and scripts acting as the system): a superuser is the
        # Regione, anyone else nothing; there are no memberships to read.
        return Grants(bindings={COORDINATOR: frozenset()}) if user.is_superuser else NOBODY
    from access.models import Membership
    from access.roles import BINDING_FIELDS

    rows: dict[str, list[dict]] = {}
    for row in Membership.objects.filter(user=user).values("role", *(f"{name}_id" for name in BINDING_FIELDS)):
        rows.setdefault(row["role"], []).append({name: row[f"{name}_id"] for name in BINDING_FIELDS})
    bindings = {}
    for role in ROLES.values():
        if role.key == COORDINATOR:
            if user.is_superuser or role.key in rows:
                bindings[role.key] = frozenset()
            continue
        if role.in_membership and role.key not in rows:
            continue
        ids = role.ids_for(user, rows.get(role.key, []))
        if ids or role.binds is None:
            bindings[role.key] = ids
    grants = Grants(bindings=bindings)
    user._labimpact_grants = grants
    return grants


def system_user():
    """The user loaders act as (reference and demo data): the Regione, unsaved, never logged in."""
    from django.contrib.auth import get_user_model

    return get_user_model()(username="labimpact-loader", is_superuser=True, is_active=True)


def forget(user) -> None:
    """Drop the cached grants (after a membership of this user changed)."""
    if hasattr(user, "_labimpact_grants"):
        del user._labimpact_grants


def label_of(model: type[models.Model] | models.Model | str) -> str:
    """The "app.model" label of a model or instance; a page label ("reports.dashboard") as it is."""
    return model if isinstance(model, str) else model._meta.label_lower


def roles_allowed(user, action: str, model) -> set[str]:
    """The roles of `user` that allow `action` on this kind of record (before row scope)."""
    table = ACTIONS.get(label_of(model), {})
    return {role for role in grants_for(user).roles if action in table.get(role, ())}


def can(user, action: str, model: type[models.Model] | models.Model | str) -> bool:
    """May `user` perform `action` on this kind of record (or page label) at all, before row scope?"""
    return bool(roles_allowed(user, action, model))


def _in(path: str) -> str:
    return "pk__in" if path == "pk" else f"{path}__in"


def _role_condition(grants: Grants, role: str, label: str, action: str, model) -> Q | None:
    """The rows one role of the user reaches for `action`; None means every row."""
    declared = ROLES[role]
    if declared.binds is None:
        return None
    scope = SCOPES[label] if label in SCOPES else ROW_ACTIONS.get(label, ("", Scope()))[1]
    ids = grants.bindings[role]
    condition = Q(pk__in=[])
    for path in scope.paths_for(declared.binds, action):
        condition |= Q(**{_in(path): ids})
    if action == DELETE and model is not None:
        for path in scope.exclusive:
            if path in scope.paths.get(declared.binds, ()):
                # Rows with a link outside the user's bindings stay for their other owners.
                target = model._meta.get_field(path).related_model
                foreign = model._default_manager.filter(**{_in(path): target._default_manager.exclude(pk__in=ids)})
                condition &= ~Q(pk__in=foreign.values("pk"))
    return condition


def _condition(grants: Grants, label: str, action: str, model=None) -> Q | None:
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
    if scope.public:
        return None
    # A user holding two roles reaches a row only through a role that allows this action
    # there: a mediator who is also a school referent edits their mediator record, never
    # their school (read-only for referents).
    condition = Q(pk__in=[])
    for role in sorted(roles):
        part = _role_condition(grants, role, label, action, model)
        if part is None:
            return None
        condition |= part
    return condition


def visible(user, queryset: models.QuerySet, action: str = VIEW) -> models.QuerySet:
    """The rows of `queryset` this user may see (or act on); none when the role gives no access."""
    model = queryset.model
    condition = _condition(grants_for(user), label_of(model), action, model)
    if condition is None:
        return queryset
    # Paths through many-to-many relations would repeat rows; filter by pk instead of
    # calling distinct(), which breaks later annotations and ordering.
    return queryset.filter(pk__in=model._default_manager.filter(condition).values("pk"))


def can_access_object(user, action: str, obj: models.Model) -> bool:
    """May `user` perform `action` on this very row (as it is stored)?

    Unrestricted roles need no query, which also lets the Regione read the history of a
    row that has been deleted.
    """
    model = type(obj)._meta.concrete_model
    condition = _condition(grants_for(user), label_of(model), action, model)
    if condition is None:
        return True
    if obj.pk is None:
        return False
    return model._default_manager.filter(pk=obj.pk).filter(condition).exists()


def can_act(user, label: str, obj: models.Model) -> bool:
    """May `user` perform the action `label` (a row of ACTIONS such as "mediation.request_assign") on `obj`?

    The label's own Scope says through which path each role reaches the row: an operator
    assigns the requests of their ambito, a mediator confirms those assigned to them.
    """
    model = type(obj)._meta.concrete_model
    condition = _condition(grants_for(user), label, VIEW, model)
    if condition is None:
        return True
    return model._default_manager.filter(pk=obj.pk).filter(condition).exists()


def roles_for_object(user, action: str, obj: models.Model) -> set[str]:
    """The roles through which `user` may perform `action` on this row (for field rules)."""
    grants = grants_for(user)
    model = type(obj)._meta.concrete_model
    label = label_of(model)
    roles = roles_allowed(user, action, label)
    if obj.pk is None or SCOPES.get(label, Scope()).public:
        return roles
    found = set()
    for role in roles:
        condition = _role_condition(grants, role, label, action, model)
        if condition is None or model._default_manager.filter(pk=obj.pk).filter(condition).exists():
            found.add(role)
    return found


def readonly_fields(user, model, obj=None) -> tuple[str, ...]:
    """Fields `user` may not change on this row (a new row when `obj` is None).

    A field is read-only when every role that lets the user write the row says so; a role
    without rules for the model (the Regione) leaves everything editable.
    """
    label = label_of(model)
    rules = FIELDS.get(label, {})
    roles = roles_allowed(user, ADD, label) if obj is None or obj.pk is None else roles_for_object(user, CHANGE, obj)
    if not roles:
        # Nothing to write here anyway (read-only pages): show the rules of the user's roles.
        roles = roles_allowed(user, VIEW, label)
    locked = None
    for role in roles:
        fields = set(rules.get(role, ()))
        locked = fields if locked is None else locked & fields
    if not locked:
        return ()
    ordered = [name for role in sorted(roles) for name in rules.get(role, ()) if name in locked]
    result = tuple(dict.fromkeys(ordered))
    if obj is None or obj.pk is None:
        result = tuple(name for name in result if name not in SET_ON_CREATE)
    return result


def ambito_choices(user, model=None, action: str = ADD):
    """Ambiti a user may file records under (for forms and services).

    With a model, only the ambiti of roles that allow `action` on it.
    """
    from territories.models import Ambito

    grants = grants_for(user)
    if grants.coordinator:
        return Ambito.objects.all()
    if model is None:
        return Ambito.objects.filter(pk__in=grants.ambito_ids)
    ids = frozenset()
    for role in roles_allowed(user, action, model):
        if ROLES[role].binds == "ambito":
            ids |= grants.bindings[role]
    return Ambito.objects.filter(pk__in=ids)
