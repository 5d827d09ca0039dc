"""One page of a public list, with the query string its page links keep."""

from __future__ import annotations

from django.core.paginator import Page, Paginator


def paginate(request, items, per_page: int) -> tuple[Page, str]:
    """The requested page of `items` (the last or first one for a bad number) and the
    reader's other filters as a query string, for templates/includes/pagination.html."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
