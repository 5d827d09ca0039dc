"""Third-party admins brought under the portal's permission table."""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from access.admin import ScopedAdminMixin

# The Regione coordinator unlocks accounts after a lock-out without being a superuser:
# axes' admins ask Django's per-user permissions, which the portal does not hand out.
for model, base in [
    (AccessAttempt, axes_admin.AccessAttemptAdmin),
    (AccessLog, axes_admin.AccessLogAdmin),
    (AccessFailureLog, axes_admin.AccessFailureLogAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(base.__name__, (ScopedAdminMixin, base), {}))
