"""The reader's address, and the login lock-out rules that use it.

Behind our reverse proxy every request comes from the proxy's address; the proxy passes
the reader's in a header it sets itself (nginx: `X-Real-IP $remote_addr`). The one setting
RATELIMIT_IP_META_KEY names that header for the rate limit (django-ratelimit reads it)
and for the login lock-out (django-axes calls `client_ip`). Without it: REMOTE_ADDR.
Never trust a header the proxy does not overwrite.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


def client_ip(request) -> str | None:
    key = settings.RATELIMIT_IP_META_KEY
    value = request.META.get(key, "") if key else ""
    # A list (X-Forwarded-For): the right-most entry is the one our proxy appended.
    value = value.split(",")[-1].strip()
    return value or request.META.get("REMOTE_ADDR")


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Locked when one account failed AXES_FAILURE_LIMIT times from one address, or
    AXES_ACCOUNT_FAILURE_LIMIT times from anywhere (AXES_LOCKOUT_PARAMETERS lists the two
    groups in that order). Axes alone applies one limit to every group."""

    def get_failures(self, request, credentials=None) -> int:
        pair, account = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if account >= settings.AXES_ACCOUNT_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair
