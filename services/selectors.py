"""Reads behind the desk search and desk pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from labimpact.site_url import absolute_url
from services import directory
from services.models import Sportello
from services.opening import ROME
from territories.models import Comune

MAX_COMUNE_CHOICES = 8
# Desks listed when the reader's comune has none of its own, or for "near me".
NEAREST_COUNT = 5


@dataclass
class SearchResult:
    desks: list[directory.Listed] = field(default_factory=list)  # paginated by the view
    comune: Comune | None = None
    comune_choices: list[Comune] = field(default_factory=list)  # ambiguous name: ask which one
    unknown_place: bool = False  # the reader typed something that is no comune or CAP
    searched: bool = False
    # No desk serves the comune (most comuni belong to no ambito in the data): the nearest
    # published desks instead, each with `distance_km`.
    nearest: bool = False
    near_me: bool = False  # measured from the reader's (rounded) position
    fuzzy: bool = False  # the comune was found despite a typo: "did you mean" wording


def _find_comuni(term: str, limit: int) -> list[Comune]:
    """Comuni for what the reader typed, best first, each with `exact` (0 for an exact name)
    and `fuzzy` (1 for a near miss), as ComuneQuerySet.search ranks them; names are matched
    in memory (territories.matching) and the rows come from services.directory."""
    from territories.matching import match

    term = (term or "").strip()[:100]
    if term.isdigit():
        # A postcode: every comune using it, none "exact" (several share one), read by the index.
        pks = Comune.objects.search(term).values_list("pk", flat=True)[:limit]
        found = [comune for comune in map(directory.comune, pks) if comune is not None]
        for comune in found:
            comune.exact, comune.fuzzy = 1, 0
        return found
    matches = match(term)[:limit]
    found = []
    for m in matches:
        comune = directory.comune(m.pk)
        if comune is not None:
            comune.exact, comune.fuzzy = (0 if m.exact else 1), (1 if m.fuzzy else 0)
            found.append(comune)
    return found


def search(form) -> SearchResult:
    """Published desks for a validated search form (None: all desks, nothing filtered).

    A comune's desks are its ambito's and those serving it explicitly, in list order (comune,
    then name), each with `distance_km` from the comune's seat. When none serves it, or the
    reader sent their position, the NEAREST_COUNT closest desks come instead, nearest first.
    The desks come from services.directory (in memory; it says why).
    """
    if form is None:
        return SearchResult(desks=directory.find())
    data = form.cleaned_data
    result = SearchResult(searched=True)
    origin = None
    if data.get("near"):
        result.near_me = True
        origin = data["near"]
    elif data.get("comune"):
        result.comune = directory.comune(istat_code=data["comune"])
        result.unknown_place = result.comune is None
    elif data.get("q"):
        matches = _find_comuni(data["q"], MAX_COMUNE_CHOICES + 1)
        if not matches:
            result.unknown_place = True
        elif len(matches) == 1 or matches[0].exact == 0:
            result.comune = matches[0]
            result.fuzzy = bool(matches[0].fuzzy)
        else:
            result.comune_choices = matches[:MAX_COMUNE_CHOICES]
            result.fuzzy = bool(matches[0].fuzzy)
    if result.unknown_place or result.comune_choices:
        return result
    comune = result.comune
    if comune is not None:
        if comune.latitude is not None:
            origin = (float(comune.latitude), float(comune.longitude))
        result.nearest = origin is not None and not directory.has_desks(comune)
    result.desks = directory.find(
        comune=comune,
        origin=origin,
        nearest=NEAREST_COUNT if (result.near_me or result.nearest) else None,
        category=data["category"].key if data.get("category") else None,
        language=data["language"].code if data.get("language") else None,
        open_at=timezone.now().astimezone(ROME) if data.get("open_now") else None,
    )
    return result


def json_ld(desk: Sportello, request) -> dict:
    """schema.org GovernmentService offered at a Place, for search engines and assistants."""
    place = {
        "@type": "Place",
        "name": desk.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": desk.address,
            "addressLocality": desk.comune.name,
            "postalCode": desk.comune.postcode_list[0] if desk.comune.postcode_list else "",
            "addressRegion": "Lombardia",
            "addressCountry": "IT",
        },
    }
    if desk.latitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": float(desk.latitude), "longitude": float(desk.longitude)}
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": desk.name,
        "description": desk.description,
        "url": absolute_url(request, desk.get_absolute_url()),
        "serviceType": [c.name for c in desk.categories.all()],
        "availableLanguage": [lang.name for lang in desk.languages.all()],
        "areaServed": desk.ambito.name,
        "provider": {
            "@type": "GovernmentOrganization",
            "name": desk.partner.name if desk.partner else desk.ambito.name,
        },
        "availableChannel": {"@type": "ServiceChannel", "serviceLocation": place},
    }
    if desk.phone:
        data["availableChannel"]["servicePhone"] = {"@type": "ContactPoint", "telephone": desk.phone}
    return data


def guides_for_desk(desk: Sportello) -> list:
    """Published guides for the desk's services: the one source of "documents to bring".

    A guide matches when it shares a service category with the desk and is regional (no
    ambito) or written for the desk's own ambito. Steps come ordered, for the checklist.
    """
    from django.db.models import Prefetch

    from services.models import Guide, GuideStep

    category_ids = [category.pk for category in desk.categories.all()]
    if not category_ids:
        return []
    return list(
        Guide.objects.published()
        .filter(categories__in=category_ids)
        .filter(Q(ambito__isnull=True) | Q(ambito_id=desk.ambito_id))
        .distinct()
        .order_by("title", "pk")
        .prefetch_related(Prefetch("steps", queryset=GuideStep.objects.order_by("order", "pk")))
    )
