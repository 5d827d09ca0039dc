"""The coordinator's window on background work: tasks that failed and tasks still waiting."""

from django.contrib import admin

from access.admin import ScopedAdminMixin
from ops.models import FailedJob, OutboxMessage


class _ReadOnly(ScopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FailedJob)
class FailedJobAdmin(_ReadOnly):
    list_display = ("failed_at", "task", "error", "retries")
    list_filter = ("task",)
    search_fields = ("task", "error")
    date_hierarchy = "failed_at"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(_ReadOnly):
    list_display = ("created_at", "task", "args", "attempts", "last_error")
    list_filter = ("task",)
