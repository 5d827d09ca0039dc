"""Reads behind the desk search and desk pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from labimpact.site_url import absolute_url
from services.models import Sportello
from services.opening import ROME
from territories.models import Comune

MAX_COMUNE_CHOICES = 8


@dataclass
class SearchResult:
    desks: object  # a queryset, paginated by the view
    comune: Comune | None = None
    comune_choices: list[Comune] = field(default_factory=list)  # ambiguous name: ask which one
    unknown_place: bool = False  # the reader typed something that is no comune or CAP
    searched: bool = False


def search(form) -> SearchResult:
    """Published desks for a validated search form (None: all desks, nothing filtered)."""
    desks = Sportello.objects.published().for_listing().order_by("comune__name", "name")
    if form is None:
        return SearchResult(desks=desks)
    data = form.cleaned_data
    result = SearchResult(desks=desks, searched=True)
    if data.get("comune"):
        result.comune = Comune.objects.select_related("ambito").filter(istat_code=data["comune"]).first()
        result.unknown_place = result.comune is None
    elif data.get("q"):
        matches = list(Comune.objects.search(data["q"]).select_related("ambito")[: MAX_COMUNE_CHOICES + 1])
        if not matches:
            result.unknown_place = True
        elif len(matches) == 1 or matches[0].exact == 0:
            result.comune = matches[0]
        else:
            result.comune_choices = matches[:MAX_COMUNE_CHOICES]
    if result.unknown_place or result.comune_choices:
        result.desks = desks.none()
        return result
    if result.comune is not None:
        desks = desks.serving(result.comune)
    if data.get("category"):
        desks = desks.in_category(data["category"].key)
    if data.get("language"):
        desks = desks.speaking(data["language"].code)
    if data.get("open_now"):
        desks = desks.open_at(timezone.now().astimezone(ROME))
    result.desks = desks
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
    from django.db.models import Prefetch, Q

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
