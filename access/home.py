"""The admin home as a desk: what waits for the user, and what they do most often.

Everything here is derived from the permission table (access/permissions.py): a queue line
appears only for a model the user may read, each count is narrowed by `visible()` and links
to the changelist filtered to the same rows; an action button appears only when the user may
perform it. The Regione coordinator additionally gets the same queue per ambito.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access import permissions
from common.text import natural_key

# A desk whose page nobody touched for this long is "stale": its hours and contacts may
# no longer be true (the reports readers send are mostly about such desks).
STALE_DESK_MONTHS = 6
# Ratings at or below this value, received in the last LOW_RATING_DAYS, are worth a look.
LOW_RATING = 2
LOW_RATING_DAYS = 30


@dataclass(frozen=True)
class QueueItem:
    key: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    url: str


def _changelist(label: str, **params) -> str:
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def stale_before(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    month = today.month - STALE_DESK_MONTHS
    year = today.year
    while month < 1:
        month += 12
        year -= 1
    return today.replace(year=year, month=month, day=min(today.day, 28))


def _queue_specs():
    """(key, label, model label, filter kwargs, changelist params, extra permission) per queue line."""
    stale = stale_before()
    since = timezone.localdate() - datetime.timedelta(days=LOW_RATING_DAYS)
    return [
        (
            "reports",
            _("Segnalazioni di dati errati da verificare"),
            "feedback.report",
            {"status": "new"},
            {"status__exact": "new"},
            None,
        ),
        (
            "ratings",
            _("Valutazioni basse da leggere (ultimi 30 giorni)"),
            "feedback.pagefeedback",
            {"rating__lte": LOW_RATING, "created_at__date__gte": since},
            {"rating__lte": LOW_RATING, "created_at__date__gte": since.isoformat()},
            None,
        ),
        (
            "stale_desks",
            _("Sportelli non aggiornati da più di 6 mesi"),
            "services.sportello",
            {"updated_at__date__lt": stale},
            {"updated_at__date__lt": stale.isoformat()},
            permissions.CHANGE,
        ),
        (
            "mediation",
            _("Richieste di mediazione in attesa"),
            "mediation.mediationrequest",
            {"status": "submitted"},
            {"status__exact": "submitted"},
            "mediation.request_triage",
        ),
    ]


def _allowed(user, label: str, extra) -> bool:
    if not permissions.can(user, permissions.VIEW, label):
        return False
    if extra is None:
        return True
    if extra in permissions.ALL:
        return permissions.can(user, extra, label)
    return permissions.can(user, permissions.VIEW, extra)


def queue(user) -> list[QueueItem]:
    items = []
    for key, label, model_label, filters, params, extra in _queue_specs():
        if not _allowed(user, model_label, extra):
            continue
        model = apps.get_model(model_label)
        count = permissions.visible(user, model._default_manager.filter(**filters)).count()
        items.append(QueueItem(key, str(label), count, _changelist(model_label, **params)))
    untranslated = untranslated_count(user)
    if untranslated is not None:
        items.append(
            QueueItem(
                "untranslated",
                str(_("Contenuti con traduzioni mancanti")),
                untranslated,
                reverse("admin:reports_translations"),
            )
        )
    return items


def untranslated_count(user) -> int | None:
    """How many items the user can see lack at least one language (None: the page is not theirs)."""
    if not permissions.can(user, permissions.VIEW, "reports.translations"):
        return None
    from django.db.models import Q

    from labimpact.translation_status import missing_q, target_languages

    total = 0
    for label in ("services.sportello", "services.guide", "content.material", "content.news"):
        model = apps.get_model(label)
        condition = Q(pk__in=[])
        for code, _name in target_languages():
            condition |= missing_q(model, code)
        total += permissions.visible(user, model._default_manager.filter(condition)).count()
    return total


def regional_view(user) -> list[dict]:
    """For the coordinator: open reports, stale desks and waiting requests per ambito."""
    if not permissions.grants_for(user).coordinator:
        return []
    from feedback.models import Report
    from mediation.models import MediationRequest
    from services.models import Sportello
    from territories.models import Ambito

    def per_ambito(queryset):
        return dict(queryset.values_list("ambito").annotate(n=Count("pk")).order_by())

    reports = per_ambito(Report.objects.filter(status="new"))
    stale = per_ambito(Sportello.objects.filter(updated_at__date__lt=stale_before()))
    waiting = per_ambito(MediationRequest.objects.filter(status="submitted"))
    rows = []
    for ambito in sorted(Ambito.objects.all(), key=lambda a: natural_key(a.name)):
        row = {
            "ambito": ambito,
            "reports": reports.get(ambito.pk, 0),
            "reports_url": _changelist("feedback.report", status__exact="new", ambito__id__exact=ambito.pk),
            "stale": stale.get(ambito.pk, 0),
            "stale_url": _changelist(
                "services.sportello", updated_at__date__lt=stale_before().isoformat(), ambito__id__exact=ambito.pk
            ),
            "waiting": waiting.get(ambito.pk, 0),
            "waiting_url": _changelist(
                "mediation.mediationrequest", status__exact="submitted", ambito__id__exact=ambito.pk
            ),
        }
        rows.append(row)
    return rows


VIEW = permissions.VIEW

# Candidate actions: (key, label, url name, action, label in the permission table).
ACTIONS = [
    ("activity", _("Registra un'attività"), "admin:reports_activity_add", permissions.ADD, "reports.activity"),
    (
        "hours",
        _("Aggiorna gli orari di uno sportello"),
        "admin:services_sportello_changelist",
        permissions.CHANGE,
        "services.sportello",
    ),
    (
        "mediation_request",
        _("Nuova richiesta di mediazione"),
        "mediation:new",
        permissions.VIEW,
        "mediation.request_submit",
    ),
    (
        "my_requests",
        _("Apri le tue richieste di mediazione"),
        "mediation:mediator",
        permissions.VIEW,
        "mediation.request_confirm",
    ),
    ("dashboard", _("Apri il cruscotto regionale"), "admin:reports_dashboard", permissions.VIEW, "reports.dashboard"),
    ("export", _("Esporta i dati"), "admin:reports_exportjob_choose", permissions.VIEW, "reports.export"),
    ("news", _("Pubblica una notizia"), "admin:content_news_add", permissions.ADD, "content.news"),
    ("event", _("Aggiungi un evento"), "admin:associations_event_add", permissions.ADD, "associations.event"),
    (
        "school",
        _("Consulta la scheda della scuola"),
        "admin:schools_school_changelist",
        permissions.VIEW,
        "schools.school",
    ),
]

# Which of the candidates come first for a role (the rest follow in the order above).
PREFERRED = {
    "coordinator": ["dashboard", "export", "activity"],
    "operator": ["activity", "hours", "export"],
}


def actions(user, limit: int = 3) -> list[Action]:
    roles = permissions.grants_for(user).roles
    order = []
    for role in sorted(roles):
        order += [key for key in PREFERRED.get(role, []) if key not in order]
    rank = {key: index for index, key in enumerate(order)}
    candidates = sorted(ACTIONS, key=lambda spec: rank.get(spec[0], len(rank) + ACTIONS.index(spec)))
    found = []
    for key, label, url_name, action, model_label in candidates:
        if not permissions.can(user, action, model_label):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        found.append(Action(key, str(label), url))
        if len(found) == limit:
            break
    return found


def reference_labels() -> set[str]:
    """Models of reference data (public scope in the permission table)."""
    return {label for label, scope in permissions.SCOPES.items() if scope.public}


def hidden_from_menu(user, label: str) -> bool:
    """Reference tables stay out of the menu of those who cannot change them."""
    return label in reference_labels() and not (
        permissions.can(user, permissions.CHANGE, label) or permissions.can(user, permissions.ADD, label)
    )


# What "Contenuti da tradurre" counts: (model label, path to its ambito; "pk" for the ambito
# itself). Rows without an ambito are the Regione's own content.
TRANSLATED_KINDS = [
    ("services.sportello", "ambito"),
    ("services.guide", "ambito"),
    ("content.material", "ambito"),
    ("content.news", "ambito"),
    ("territories.ambito", "pk"),
]


def untranslated_table(user) -> dict:
    """Missing translations per ambito (and the Regione's own content) × kind × language.

    Every count links to the changelist of that kind filtered to the same rows (the
    "traduzione mancante" filter plus the ambito, or no ambito for regional content).
    """
    from labimpact.translation_status import missing_q, target_languages
    from territories.models import Ambito

    languages = target_languages()
    counts: dict[tuple, int] = {}
    for label, path in TRANSLATED_KINDS:
        model = apps.get_model(label)
        base = permissions.visible(user, model._default_manager.all())
        for code, _name in languages:
            rows = base.filter(missing_q(model, code)).values(path).annotate(n=Count("pk")).order_by()
            for row in rows:
                counts[(row[path], label, code)] = row["n"]
    ambiti = {a.pk: a for a in permissions.visible(user, Ambito.objects.all())}
    keys = {(ambito_id, label) for ambito_id, label, _code in counts}
    order = [label for label, _path in TRANSLATED_KINDS]

    def sort_key(key):
        ambito_id, label = key
        name = ambiti[ambito_id].name if ambito_id in ambiti else ""
        return (ambito_id is not None, natural_key(name), order.index(label))

    rows = []
    for ambito_id, label in sorted(keys, key=sort_key):
        if ambito_id is not None and ambito_id not in ambiti:
            continue
        model = apps.get_model(label)
        path = dict(TRANSLATED_KINDS)[label]
        where = {"id": ambito_id} if path == "pk" else {"ambito": ambito_id}
        if ambito_id is None:
            where = {"ambito__isnull": "True"}
        cells = []
        for code, _name in languages:
            count = counts.get((ambito_id, label, code), 0)
            cells.append({"count": count, "url": _changelist(label, manca_lingua=code, **where)})
        rows.append(
            {
                "ambito": ambiti.get(ambito_id),
                "kind": model._meta.verbose_name_plural,
                "cells": cells,
                "total": sum(cell["count"] for cell in cells),
            }
        )
    return {"languages": languages, "rows": rows}
