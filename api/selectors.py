"""Reads behind the open-data API: which desks, organisations and terms are public, in how many queries."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

from services.models import Closure, Language, OpeningSlot, ServiceCategory, Sportello
from territories.models import Comune, Partner


def include_demo() -> bool:
    return settings.API_INCLUDE_DEMO


def desks():
    """Published desks (and, when the deployment says so, no demo rows), in a stable order."""
    qs = Sportello.objects.published()
    if not include_demo():
        qs = qs.without_demo()
    return qs.order_by("name_it", "pk")


# A list reads only these columns of a desk, each in the language asked for and in Italian
# (the fallback): a desk row has ten translations of seven texts, and building 50 of them
# whole costs more than the queries.
SUMMARY_FIELDS = ("pk", "slug", "email", "opening_mode", "reopening_date", "updated_at", "partner", "ambito")
SUMMARY_TEXTS = ("name", "description", "audience", "how_to_access")
LOCATION_FIELDS = (
    "address",
    "latitude",
    "longitude",
    "comune__name",
    "comune__istat_code",
    "comune__postcodes",
    "comune__provincia__code",
)
LOCATION_TEXTS = ("accessibility_notes",)


def _in_use(fields) -> list[str]:
    languages = {get_language() or settings.LANGUAGE_CODE, settings.LANGUAGE_CODE}
    return [build_localized_fieldname(field, lang) for field in fields for lang in languages]


def for_summary(qs, *, with_location: bool = False):
    """What a list of services (or, with_location, service_at_locations) shows, in a fixed
    number of queries: the page, today's closures, the organisations (attach_providers)."""
    today = timezone.localdate()
    fields = [*SUMMARY_FIELDS, *_in_use(SUMMARY_TEXTS)]
    if with_location:
        fields += [*LOCATION_FIELDS, *_in_use(LOCATION_TEXTS)]
    qs = (
        qs.only(*fields)
        .annotate(provider_pk=Coalesce(F("partner_id"), F("ambito__capofila_id")))
        .prefetch_related(
            Prefetch(
                "closures",
                queryset=Closure.objects.filter(start_date__lte=today, end_date__gte=today).order_by("start_date"),
                to_attr="current_closures",
            )
        )
    )
    if with_location:
        qs = qs.select_related("comune__provincia").prefetch_related(
            Prefetch("languages", queryset=Language.objects.order_by("code"))
        )
    return qs


def attach_providers(desks) -> None:
    """Give each desk of a page its organisation, read in one query (Sportello.provider_pk)."""
    partners = Partner.objects.select_related("type").in_bulk({desk.provider_pk for desk in desks})
    for desk in desks:
        desk.provider = partners[desk.provider_pk]


def for_full(qs):
    """Everything a fully nested service shows."""
    return qs.select_related("comune__provincia", "partner__type", "ambito__capofila__type").prefetch_related(
        Prefetch("closures", queryset=Closure.objects.order_by("start_date")),
        Prefetch("languages", queryset=Language.objects.order_by("code")),
        Prefetch("slots", queryset=OpeningSlot.objects.order_by("weekday", "opens")),
        Prefetch("categories", queryset=ServiceCategory.objects.order_by("order", "key")),
        Prefetch("served_comuni", queryset=Comune.objects.order_by("name")),
        Prefetch("ambito__comuni", queryset=Comune.objects.order_by("name").only("pk", "name", "ambito_id")),
    )


def comuni_with_postcode(code: str) -> list[Comune]:
    """Comuni using a postcode (the desk search's lookup, services.selectors.search)."""
    return list(Comune.objects.search(code).select_related("ambito"))


def organizations():
    """Organisations behind public desks: each desk's managing partner, or its ambito's capofila."""
    public = desks()
    manages = public.filter(partner=OuterRef("pk"))
    leads = public.filter(partner__isnull=True, ambito__capofila=OuterRef("pk"))
    qs = Partner.objects.filter(Q(Exists(manages)) | Q(Exists(leads)))
    if not include_demo():
        qs = qs.exclude(is_demo=True)
    return qs.select_related("type").order_by("name", "pk")


def categories():
    return ServiceCategory.objects.order_by("order", "key")
