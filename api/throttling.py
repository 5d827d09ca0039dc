"""A request budget per client address (API_RATE, e.g. 300/min), counted in the shared cache.

The count is django-ratelimit's fixed window, as for the public forms (feedback/views.py), with
the same notion of the client's address (RATELIMIT_IP_META_KEY behind a proxy): one cache
increment per request. DRF's own throttles keep a list of every request's time in the window
and rewrite it on each request, which grows with the rate and trusts any X-Forwarded-For.
"""

from django.conf import settings
from django_ratelimit.core import get_usage
from rest_framework.throttling import BaseThrottle


def client_address(group, request) -> str:
    # django-ratelimit's "ip" key, without its KeyError when a server sets no REMOTE_ADDR.
    return request.META.get(settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR", "").split(",")[0].strip()


class AddressRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        usage = get_usage(request._request, group="api", key=client_address, rate=settings.API_RATE, increment=True)
        self.usage = usage
        return usage is None or not usage["should_limit"]

    def wait(self) -> float | None:
        usage = getattr(self, "usage", None)
        return usage["time_left"] if usage else None
