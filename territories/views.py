"""Public pages of the territory: the ambiti and their networks."""

from itertools import groupby

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from labimpact.caching import public_page
from schools.models import School
from services.models import Sportello
from territories.forms import ComuneLookupForm
from territories.models import Ambito, Comune


@require_GET
@public_page(params=ComuneLookupForm.base_fields)
def ambito_list(request):
    form = ComuneLookupForm(request.GET or None)
    ambiti = list(Ambito.objects.for_listing())
    found, matches = None, []
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        matches = list(Comune.objects.search(form.cleaned_data["q"]).select_related("ambito")[:8])
        if matches and (len(matches) == 1 or matches[0].exact == 0):
            found = matches[0]
            matches = []
    ambiti_by_province = [(p, list(items)) for p, items in groupby(ambiti, key=lambda a: a.provincia)]
    return render(
        request,
        "territories/ambito_list.html",
        {
            "form": form,
            "ambiti_by_province": ambiti_by_province,
            "found": found,
            "matches": matches,
            "total": len(ambiti),
        },
    )


@require_GET
@public_page
def ambito_detail(request, slug: str):
    ambito = get_object_or_404(
        Ambito.objects.for_listing().prefetch_related(
            Prefetch("comuni", queryset=Comune.objects.order_by("name")),
            Prefetch("sportelli", queryset=Sportello.objects.published().select_related("comune").order_by("name")),
            Prefetch("schools", queryset=School.objects.select_related("comune").order_by("name")),
            Prefetch("coordinates", queryset=Ambito.objects.order_by("name")),
        ),
        slug=slug,
    )
    return render(request, "territories/ambito_detail.html", {"ambito": ambito})
