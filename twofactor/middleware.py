"""The back office asks for the second step after the password.

- a user with an authenticator app must enter a code once per session;
- the coordinator (and superusers) without one are sent to enrolment first;
- everyone else is offered enrolment (a link next to "log out") and may go on.
"""

from __future__ import annotations

from urllib.parse import quote

from django.shortcuts import redirect
from django.urls import reverse

from twofactor import services


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not request.path.startswith("/admin/"):
            return self.get_response(request)
        if user.is_verified() or request.path in self._exempt():
            return self.get_response(request)
        next_param = f"?next={quote(request.get_full_path())}"
        if services.has_two_factor(user):
            return redirect(reverse("twofactor:verify") + next_param)
        if services.two_factor_required(user):
            return redirect(reverse("twofactor:setup") + next_param)
        return self.get_response(request)

    @staticmethod
    def _exempt() -> set[str]:
        return {
            reverse("admin:login"),
            reverse("admin:logout"),
            reverse("twofactor:setup"),
            reverse("twofactor:verify"),
            reverse("admin:jsi18n"),
        }
