"""Public pages of the desks: search and desk page (the migrant's door)."""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from labimpact import fragments
from labimpact.caching import public_page
from labimpact.pagination import paginate
from labimpact.site_url import absolute_url
from services import opening, poster, selectors
from services.forms import SportelloSearchForm
from services.models import Guide, GuideStep, Language, ServiceCategory, Sportello
from territories.geo import coarse_coordinates
from territories.models import Comune

PAGE_SIZE = 20
COMUNE_CODE = re.compile(r"\d{6}")


@require_GET
@coarse_coordinates
@public_page(params=(*SportelloSearchForm.base_fields, "page"))
def sportello_search(request):
    form = SportelloSearchForm(request.GET or None)
    result = selectors.search(form if form.is_bound and form.is_valid() else None)
    page, query = paginate(request, result.desks, PAGE_SIZE)
    now = timezone.now()
    listed = list(page.object_list)
    return render(
        request,
        "services/sportello_search.html",
        {
            "form": form,
            "result": result,
            # Nearest desks instead of the comune's own (it has none) or from the reader's position.
            "nearest": result.nearest or result.near_me,
            "page": page,
            "desks": [(item, opening.status(item.desk, now)) for item in listed],
            "cards": _desk_cards([item.desk.pk for item in listed]),
            "query": query,
            "choices": fragments.get_or_set("search-choices", "", _search_choices),
            "selected": {name: str(form[name].value() or "") for name in ("category", "language")},
            "map_tiles": settings.MAP_TILE_URL,
            "map_attribution": settings.MAP_ATTRIBUTION,
        },
    )


def _search_choices() -> dict[str, list[tuple[str, str]]]:
    """The search form's services and languages, as (value, label) in the active language."""
    fields = SportelloSearchForm.base_fields
    return {
        "categories": [(c.key, c.name) for c in fields["category"].queryset.all()],
        "languages": [(language.code, language.name) for language in fields["language"].queryset.all()],
    }


def _desk_cards(pks: list[int]) -> dict[int, dict[str, str]]:
    """Each desk's card (title, services, languages) from the fragment cache; the missing
    ones rendered now from their own rows (the directory's desks are shared by every request
    of the process and must not be given prefetched relations here)."""
    cards = fragments.get_many("desk-card", pks)
    missing = [pk for pk in pks if pk not in cards]
    if missing:
        desks = Sportello.objects.filter(pk__in=missing).prefetch_related(
            Prefetch("categories", queryset=ServiceCategory.objects.order_by("order")),
            Prefetch("languages", queryset=Language.objects.order_by("name")),
        )
        rendered = {
            desk.pk: {
                "head": render_to_string("services/includes/desk_card_head.html", {"desk": desk}),
                "body": render_to_string("services/includes/desk_card_body.html", {"desk": desk}),
            }
            for desk in desks
        }
        fragments.set_many("desk-card", rendered)
        cards.update(rendered)
    return {pk: {part: mark_safe(html) for part, html in card.items()} for pk, card in cards.items()}  # noqa: S308


@require_GET
@public_page
def sportello_detail(request, slug: str):
    desk = get_object_or_404(Sportello.objects.published().for_listing().select_related("partner"), slug=slug)
    return render(
        request,
        "services/sportello_detail.html",
        {
            "desk": desk,
            "status": opening.status(desk),
            "week": opening.weekly_table(desk),
            "closures": opening.upcoming_closures(desk),
            "json_ld": selectors.json_ld(desk, request),
            # Read once: the documents block and the links to the guides show the same ones.
            "guides": selectors.guides_for_desk(desk),
        },
    )


@require_GET
@public_page
def sportello_poster(request, slug: str):
    """A one-page poster in the reader's language, with a QR code to the desk page."""
    desk = get_object_or_404(Sportello.objects.published().for_listing(), slug=slug)
    page_url = absolute_url(request, desk.get_absolute_url())
    return render(
        request,
        "services/sportello_poster.html",
        {"desk": desk, "week": opening.weekly_table(desk), "page_url": page_url, "qr": poster.qr_svg(page_url)},
    )


@require_GET
@public_page
def guide_list(request):
    guides = Guide.objects.published().select_related("ambito").prefetch_related("categories")
    return render(request, "services/guide_list.html", {"guides": guides.order_by("title")})


@require_GET
@public_page(params=("comune",))
def guide_detail(request, slug: str):
    """A guide, with the desks that help with it: near the reader's comune when the link
    that brought them here named it (the desk page does), else the search for its service."""
    guide = get_object_or_404(
        Guide.objects.published()
        .select_related("ambito")
        .prefetch_related(
            "categories", "sources", Prefetch("steps", queryset=GuideStep.objects.order_by("order", "pk"))
        ),
        slug=slug,
    )
    code = request.GET.get("comune", "")
    comune = Comune.objects.filter(istat_code=code).first() if COMUNE_CODE.fullmatch(code) else None
    return render(request, "services/guide_detail.html", {"guide": guide, "comune": comune})
