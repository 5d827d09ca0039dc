"""Public doors of the newsletter: signup, confirmation link, unsubscribe (one click from mail apps)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from feedback.views import _rate, _too_many
from newsletter import services
from newsletter.forms import SignupForm


@require_http_methods(["GET", "POST"])
@ratelimit(group="feedback", key="ip", rate=_rate, method="POST", block=False)
def signup(request):
    form = SignupForm(request.POST if request.method == "POST" else None, initial={"language": get_language()})
    if getattr(request, "limited", False):
        return _too_many(request, "newsletter/signup.html", {"form": form})
    if request.method == "POST" and form.is_valid():
        services.subscriber_signup(
            email=form.cleaned_data["email"], language=form.cleaned_data["language"], ambiti=form.cleaned_data["ambiti"]
        )
        return redirect("newsletter:check_mail")
    return render(request, "newsletter/signup.html", {"form": form})


def check_mail(request):
    return render(request, "newsletter/check_mail.html")


@require_GET
def confirm(request, token: str):
    try:
        services.subscriber_confirm(token=token)
    except ValidationError as exc:
        return render(request, "newsletter/link_error.html", {"error": exc.messages[0]}, status=400)
    return render(request, "newsletter/confirmed.html")


# Mail apps unsubscribe with a POST and no cookie (RFC 8058), so no CSRF token here; the
# signed link is the credential. A GET only asks, so link scanners unsubscribe nobody.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        if request.method == "GET":
            services.subscriber_for_unsubscribe(token=token)
            return render(request, "newsletter/unsubscribe.html", {"token": token})
        services.subscriber_unsubscribe(token=token)
    except ValidationError as exc:
        return render(request, "newsletter/link_error.html", {"error": exc.messages[0]}, status=400)
    return render(request, "newsletter/unsubscribed.html")
