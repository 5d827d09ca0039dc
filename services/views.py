"""Public pages of the desks: search and desk page (the migrant's door)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from labimpact.caching import public_page
from labimpact.pagination import paginate
from labimpact.site_url import absolute_url
from services import opening, poster, selectors
from services.forms import SportelloSearchForm
from services.models import Guide, GuideStep, Sportello
from territories.geo import coarse_coordinates

PAGE_SIZE = 20


@require_GET
@coarse_coordinates
@public_page(params=(*SportelloSearchForm.base_fields, "page"))
def sportello_search(request):
    form = SportelloSearchForm(request.GET or None)
    result = selectors.search(form if form.is_bound and form.is_valid() else None)
    page, query = paginate(request, result.desks, PAGE_SIZE)
    now = timezone.now()
    desks = [(desk, opening.status(desk, now)) for desk in page.object_list]
    return render(
        request,
        "services/sportello_search.html",
        {
            "form": form,
            "result": result,
            # Nearest desks instead of the comune's own (it has none) or from the reader's position.
            "nearest": result.nearest or result.near_me,
            "page": page,
            "desks": desks,
            "query": query,
            "map_tiles": settings.MAP_TILE_URL,
            "map_attribution": settings.MAP_ATTRIBUTION,
        },
    )


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
@public_page
def guide_detail(request, slug: str):
    guide = get_object_or_404(
        Guide.objects.published()
        .select_related("ambito")
        .prefetch_related(
            "categories", "sources", Prefetch("steps", queryset=GuideStep.objects.order_by("order", "pk"))
        ),
        slug=slug,
    )
    return render(request, "services/guide_detail.html", {"guide": guide})
