"""Public pages of materials and news."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from content import downloads, selectors
from content.forms import MaterialFilterForm, NewsFilterForm
from content.models import MaterialFile, News
from labimpact.caching import public_page
from labimpact.pagination import paginate

NEWS_PAGE_SIZE = 10


@require_GET
@public_page(params=MaterialFilterForm.base_fields)
def material_list(request):
    form = MaterialFilterForm(request.GET or None)
    category = form.cleaned_data["category"] if form.is_bound and form.is_valid() else None
    listing = selectors.material_listing(language=get_language(), category=category)
    return render(request, "content/material_list.html", {"form": form, "listing": listing, "category": category})


@require_GET
def material_file(request, slug: str, language: str):
    material_file = get_object_or_404(
        MaterialFile.objects.select_related("material"),
        material__slug=slug,
        material__is_published=True,
        language=language,
    )
    return downloads.material_file_response(material_file)


@require_GET
@public_page(params=(*NewsFilterForm.base_fields, "page"))
def news_list(request):
    form = NewsFilterForm(request.GET or None)
    ambito_filter = form.cleaned_data["ambito"] if form.is_bound and form.is_valid() else ""
    page, query = paginate(request, selectors.news_list(ambito_filter=ambito_filter), NEWS_PAGE_SIZE)
    return render(request, "content/news_list.html", {"form": form, "page": page, "query": query})


@require_GET
@public_page
def news_detail(request, slug: str):
    news = get_object_or_404(News.objects.published().select_related("ambito"), slug=slug)
    return render(request, "content/news_detail.html", {"news": news})
