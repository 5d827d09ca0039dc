"""Public pages of associations and events, the proposal form and the calendar feeds."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from associations import ical, selectors, services
from associations.forms import AssociationFilterForm, EventFilterForm, ProposalForm
from associations.models import Association, Event
from content.downloads import FILE_CSP
from feedback.views import _rate, _too_many
from labimpact.caching import public_page
from labimpact.pagination import paginate
from territories.models import Ambito

PAGE_SIZE = 20


def _filters(form) -> dict | None:
    return form.cleaned_data if form.is_bound and form.is_valid() else None


@require_GET
@public_page(params=(*AssociationFilterForm.base_fields, "page"))
def association_list(request):
    form = AssociationFilterForm(request.GET or None)
    page, query = paginate(request, selectors.association_list(_filters(form)), PAGE_SIZE)
    return render(
        request,
        "associations/association_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "map_tiles": settings.MAP_TILE_URL,
            "map_attribution": settings.MAP_ATTRIBUTION,
        },
    )


@require_GET
@public_page
def association_detail(request, slug: str):
    association = get_object_or_404(Association.objects.published().for_listing(), slug=slug)
    events = selectors.upcoming(Event.objects.published().for_listing().filter(association=association))
    return render(request, "associations/association_detail.html", {"association": association, "events": events})


@require_GET
def association_logo(request, slug: str):
    association = get_object_or_404(Association.objects.published(), slug=slug)
    if not association.logo or association.logo_type not in ("image/png", "image/jpeg"):
        raise Http404
    try:
        handle = association.logo.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=association.logo_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    return response


@require_http_methods(["GET", "POST"])
@ratelimit(group="feedback", key="ip", rate=_rate, method="POST", block=False)
def association_propose(request):
    form = ProposalForm(request.POST if request.method == "POST" else None)
    context = {"form": form}
    if getattr(request, "limited", False):
        return _too_many(request, "associations/propose.html", context)
    if request.method == "POST" and form.is_valid():
        association = form.save(commit=False)
        association.proposer_language = get_language()
        services.association_propose(
            association=association,
            languages=form.cleaned_data["languages"],
            topics=form.cleaned_data["topics"],
        )
        return redirect("associations:proposed")
    return render(request, "associations/propose.html", context)


def association_proposed(request):
    return render(request, "associations/proposed.html")


@require_GET
@public_page(params=(*EventFilterForm.base_fields, "archivio", "page"))
def event_list(request):
    form = EventFilterForm(request.GET or None)
    past = request.GET.get("archivio") == "1"
    page, query = paginate(request, selectors.event_list(_filters(form), past=past), PAGE_SIZE)
    return render(request, "associations/event_list.html", {"form": form, "page": page, "query": query, "past": past})


@require_GET
@public_page
def event_detail(request, slug: str):
    event = get_object_or_404(Event.objects.published().for_listing().select_related("macro_azione"), slug=slug)
    return render(
        request, "associations/event_detail.html", {"event": event, "occurrences": event.occurrences(limit=5)}
    )


@require_GET
@public_page
def feed_all(request):
    return ical.response(
        Event.objects.published().for_listing(), name=_("Eventi Lab'Impact"), filename="labimpact-eventi.ics"
    )


@require_GET
@public_page
def feed_ambito(request, slug: str):
    ambito = get_object_or_404(Ambito, slug=slug)
    events = Event.objects.published().for_listing().filter(ambito=ambito)
    return ical.response(events, name=f"Lab'Impact — {ambito.name}", filename=f"{ambito.slug}.ics")


@require_GET
@public_page
def feed_association(request, slug: str):
    association = get_object_or_404(Association.objects.published(), slug=slug)
    events = Event.objects.published().for_listing().filter(association=association)
    return ical.response(events, name=f"Lab'Impact — {association.name}", filename=f"{association.slug}.ics")


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """A new representative chooses their password from the link in the welcome e-mail."""

    success_url = reverse_lazy("associations:set_password_done")


set_password = SetPasswordView.as_view()
set_password_done = auth_views.PasswordResetCompleteView.as_view()
