"""Reads for mediation pages: the operator's queue, candidate mediators, measures."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils import timezone

from access import permissions
from mediation.models import LanguageLevel, MediationRequest, MediationSession, Mediator, MediatorLanguage
from workflow.models import Status

ROME = ZoneInfo("Europe/Rome")
LEVEL_RANK = {
    LanguageLevel.NATIVE: 5,
    LanguageLevel.C2: 4,
    LanguageLevel.C1: 3,
    LanguageLevel.B2: 2,
    LanguageLevel.B1: 1,
}


def requests_for(user):
    """Every request `user` may read (requester, operator, mediator, Regione)."""
    return permissions.visible(user, MediationRequest.objects.all()).select_related(
        "ambito", "school", "social_worker", "mediator"
    )


def queue(user):
    """The operator's queue: open requests of their ambiti, most urgent and oldest first."""
    now = timezone.now()
    overdue = set(MediationRequest.objects.triage_overdue(now).values_list("pk", flat=True))
    rows = list(permissions.visible(user, MediationRequest.objects.for_queue()))
    for row in rows:
        row.is_overdue = row.pk in overdue
    return rows


@dataclass
class Candidate:
    mediator: Mediator
    languages: list[MediatorLanguage]
    serves_ambito: bool
    available: bool
    busy: bool

    @property
    def score(self) -> tuple:
        best_level = max((LEVEL_RANK.get(ml.level, 0) for ml in self.languages), default=0)
        return (len(self.languages), self.serves_ambito, self.available and not self.busy, best_level)


def candidate_mediators(request: MediationRequest, start=None) -> list[Candidate]:
    """Mediators who speak a requested language, best first.

    Ranked by how many requested languages they speak, then whether they serve the
    request's ambito, then whether the slot is in their weekly availability, outside
    their absences and free of other bookings, then by their level in the language.
    """
    start = start or request.preferred_start
    end = start + timedelta(minutes=request.duration_minutes)
    local = timezone.localtime(start, ROME)
    local_end = timezone.localtime(end, ROME)
    wanted = set(request.languages.values_list("pk", flat=True))
    mediators = (
        Mediator.objects.active()
        .filter(languages__in=wanted)
        .distinct()
        .prefetch_related(
            Prefetch(
                "language_levels",
                MediatorLanguage.objects.filter(language__in=wanted).select_related("language"),
                to_attr="matching",
            ),
            "availability",
            "absences",
            "ambiti",
        )
    )
    busy = set(Mediator.objects.busy_between(start, end, exclude_request=request).values_list("pk", flat=True))
    candidates = []
    for mediator in mediators:
        in_week = any(
            slot.weekday == local.weekday() and slot.start <= local.time() and local_end.time() <= slot.end
            for slot in mediator.availability.all()
        )
        absent = any(a.start_date <= local.date() <= a.end_date for a in mediator.absences.all())
        candidates.append(
            Candidate(
                mediator=mediator,
                languages=mediator.matching,
                serves_ambito=any(a.pk == request.ambito_id for a in mediator.ambiti.all()),
                available=in_week and not absent,
                busy=mediator.pk in busy,
            )
        )
    candidates.sort(key=lambda c: (c.score, -c.mediator.pk), reverse=True)
    return candidates


def _median_p90(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    if len(values) == 1:
        return values[0], values[0]
    return statistics.median(values), statistics.quantiles(values, n=10, method="inclusive")[8]


@dataclass
class AmbitoMeasures:
    ambito: str
    requests: int
    to_assigned_median: float | None
    to_assigned_p90: float | None
    to_session_median: float | None
    to_session_p90: float | None
    hours: float


def measures(user, *, ambito=None, provincia=None, start=None, end=None) -> dict:
    """Activation times (hours) per ambito and session hours per language and setting.

    Activation time: submitted → first assignment, and submitted → first session. A
    session in a request for two languages counts for both languages. `start`/`end`
    (dates, inclusive) keep the requests submitted in that period, with their sessions
    (the FAMI workbook's mediation sheet reads this, per year).
    """
    requests = permissions.visible(user, MediationRequest.objects.all())
    if ambito is not None:
        requests = requests.filter(ambito=ambito)
    if provincia is not None:
        requests = requests.filter(ambito__provincia=provincia)
    if start is not None:
        requests = requests.filter(submitted_at__date__gte=start)
    if end is not None:
        requests = requests.filter(submitted_at__date__lte=end)
    rows = requests.values("pk", "ambito__name", "submitted_at", "assigned_at", "first_session_at", "setting")
    per_ambito = defaultdict(lambda: {"n": 0, "assigned": [], "session": [], "hours": 0.0})
    for row in rows:
        bucket = per_ambito[row["ambito__name"]]
        bucket["n"] += 1
        if row["assigned_at"]:
            bucket["assigned"].append((row["assigned_at"] - row["submitted_at"]).total_seconds() / 3600)
        if row["first_session_at"]:
            bucket["session"].append(max((row["first_session_at"] - row["submitted_at"]).total_seconds(), 0) / 3600)
    sessions = MediationSession.objects.filter(request__in=requests.values("pk"))
    hours_by_language = defaultdict(float)
    hours_by_setting = defaultdict(float)
    from mediation.models import Setting

    settings_labels = dict(Setting.choices)
    for session in sessions.select_related("request__ambito").prefetch_related("request__languages"):
        hours = session.duration_minutes / 60
        per_ambito[session.request.ambito.name]["hours"] += hours
        hours_by_setting[settings_labels[session.request.setting]] += hours
        for language in session.request.languages.all():
            hours_by_language[language.name] += hours
    table = []
    for name in sorted(per_ambito):
        bucket = per_ambito[name]
        assigned = _median_p90(sorted(bucket["assigned"]))
        session = _median_p90(sorted(bucket["session"]))
        table.append(AmbitoMeasures(name, bucket["n"], *assigned, *session, round(bucket["hours"], 1)))
    return {
        "ambiti": table,
        "by_language": sorted(((k, round(v, 1)) for k, v in hours_by_language.items()), key=lambda x: -x[1]),
        "by_setting": sorted(((k, round(v, 1)) for k, v in hours_by_setting.items()), key=lambda x: -x[1]),
        "open": requests.filter(status__in=(Status.SUBMITTED, Status.TRIAGED, Status.ASSIGNED)).count(),
    }
