from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from labimpact.caching import public_page
from labimpact.pagination import paginate
from sitesearch import selectors
from sitesearch.forms import SiteSearchForm

PAGE_SIZE = 20


@require_GET
@public_page(params=(*SiteSearchForm.base_fields, "page"))
def site_search(request):
    form = SiteSearchForm(request.GET or None)
    results = page = query = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        results = selectors.search(form.cleaned_data["q"], get_language())
        page, query = paginate(request, results.entries, PAGE_SIZE)
    return render(
        request,
        "sitesearch/search.html",
        {"form": form, "results": results, "page": page, "query": query},
    )
