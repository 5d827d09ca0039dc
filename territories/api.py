"""Comune suggestions for the desk search box (JavaScript enhancement of a plain form)."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from territories.models import Comune

MAX_SUGGESTIONS = 10


@require_GET
@cache_control(public=True, max_age=86400)
def comune_suggestions(request):
    """Up to ten comuni matching what the reader typed (name, any accents, or postcode).

    Comuni names are the same in every language, so the answer is not language-specific,
    and it is cacheable by browsers and proxies for a day (the list changes once a year).
    """
    term = request.GET.get("q", "")[:100]
    matches = Comune.objects.search(term).values_list("name", flat=True)[:MAX_SUGGESTIONS]
    return JsonResponse({"comuni": list(matches)})
