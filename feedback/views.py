"""Public doors of the feedback app: rate a page, report wrong desk data, suggest a desk.

No account and no personal data. Each form is rate-limited per address (counted in the
cache for an hour, never stored) and carries a honeypot field for bots.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from feedback import services
from feedback.forms import MissingDeskForm, PageFeedbackForm, WrongInfoForm
from feedback.models import ReportKind
from services.models import Sportello


def _rate(group, request) -> str:
    return settings.FEEDBACK_RATE


def _too_many(request, template: str, context: dict):
    context["rate_limited"] = True
    return render(request, template, context, status=429)


# The rating form sits at the foot of pages shared through the page cache, so it carries
# no CSRF token. Forging it from another site would only let an attacker do what anyone
# can do here without an account: send an anonymous rating (and the rate limit applies).
@csrf_exempt
@require_POST
@ratelimit(group="feedback", key="ip", rate=_rate, method="POST", block=False)
def page_feedback(request):
    form = PageFeedbackForm(request.POST)
    if getattr(request, "limited", False):
        return _too_many(request, "feedback/page_feedback.html", {"form": form})
    if not form.is_valid():
        return render(request, "feedback/page_feedback.html", {"form": form})
    target = form.cleaned_data["token"]
    services.page_feedback_create(
        page=target["page"],
        language=get_language(),
        ambito_id=target["ambito_id"],
        rating=form.cleaned_data["rating"],
        comment=form.cleaned_data["comment"],
    )
    back = f"/{get_language()}{target['page']}"
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        back = reverse("home")
    return redirect(f"{back}?valutazione=grazie#valutazione")


@require_http_methods(["GET", "POST"])
@ratelimit(group="feedback", key="ip", rate=_rate, method="POST", block=False)
def wrong_info(request, slug: str):
    desk = get_object_or_404(Sportello.objects.published(), slug=slug)
    form = WrongInfoForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "desk": desk}
    if getattr(request, "limited", False):
        return _too_many(request, "feedback/wrong_info.html", context)
    if request.method == "POST" and form.is_valid():
        services.report_create(
            kind=ReportKind.WRONG_INFO,
            language=get_language(),
            sportello=desk,
            topic=form.cleaned_data["topic"],
            message=form.cleaned_data["message"],
        )
        return redirect(reverse("feedback:thanks") + f"?sportello={desk.slug}")
    return render(request, "feedback/wrong_info.html", context)


@require_http_methods(["GET", "POST"])
@ratelimit(group="feedback", key="ip", rate=_rate, method="POST", block=False)
def missing_desk(request):
    form = MissingDeskForm(
        request.POST if request.method == "POST" else None, initial={"comune": request.GET.get("comune", "")[:100]}
    )
    context = {"form": form}
    if getattr(request, "limited", False):
        return _too_many(request, "feedback/missing_desk.html", context)
    if request.method == "POST" and form.is_valid():
        services.report_create(
            kind=ReportKind.MISSING_DESK,
            language=get_language(),
            comune=form.cleaned_data["comune"],
            desk_name=form.cleaned_data["desk_name"],
            address=form.cleaned_data["address"],
            message=form.cleaned_data["message"],
        )
        return redirect("feedback:thanks")
    return render(request, "feedback/missing_desk.html", context)


def thanks(request):
    desk = None
    slug = request.GET.get("sportello", "")[:120]
    if slug:
        desk = Sportello.objects.published().filter(slug=slug).first()
    return render(request, "feedback/thanks.html", {"desk": desk})
