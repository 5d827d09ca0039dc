"""Moderation queue and page ratings in the back office, narrowed to the operator's ambito."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from access import permissions
from access.admin import ScopedAdminMixin
from feedback.models import PageFeedback, Report, ReportStatus
from feedback.services import report_close

PUBLIC_FIELDS = [
    "kind",
    "created_at",
    "language",
    "sportello",
    "comune",
    "ambito",
    "topic",
    "desk_name",
    "address",
    "message",
]


@admin.register(Report)
class ReportAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["created_at", "kind", "subject", "comune", "ambito", "topic", "status", "language"]
    list_filter = [
        "status",
        "kind",
        "topic",
        ("ambito__provincia", admin.RelatedOnlyFieldListFilter),
        ("ambito", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["sportello", "comune", "ambito"]
    search_fields = ["message", "desk_name", "sportello__name", "comune__name"]
    date_hierarchy = "created_at"
    readonly_fields = [*PUBLIC_FIELDS, "handled_by", "handled_at"]
    fieldsets = [
        (_("Che cosa ci hanno scritto"), {"fields": PUBLIC_FIELDS}),
        (_("Verifica"), {"fields": ["status", "note", "handled_by", "handled_at"]}),
    ]
    actions = ["mark_resolved", "mark_dismissed"]

    def has_add_permission(self, request, *args):
        # Reports come from the public forms only.
        return False

    @admin.display(description=_("sportello"))
    def subject(self, obj):
        if obj.sportello_id:
            return format_html('<a href="{}">{}</a>', obj.sportello.get_absolute_url(), obj.sportello)
        return obj.desk_name

    def save_object(self, obj, user):
        report_close(report=obj, status=obj.status, by=user, note=obj.note)

    def _close(self, request, queryset, status):
        allowed = permissions.visible(request.user, queryset, permissions.CHANGE)
        if allowed.count() != queryset.count():
            raise PermissionDenied
        done = 0
        for report in allowed:
            try:
                report_close(report=report, status=status, by=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
        self.message_user(
            request,
            ngettext("%(count)d segnalazione aggiornata.", "%(count)d segnalazioni aggiornate.", done)
            % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Segna come corrette"))
    def mark_resolved(self, request, queryset):
        self._close(request, queryset, ReportStatus.RESOLVED)

    @admin.action(description=_("Archivia senza modifiche"))
    def mark_dismissed(self, request, queryset):
        self._close(request, queryset, ReportStatus.DISMISSED)


@admin.register(PageFeedback)
class PageFeedbackAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "page_link", "language", "rating", "comment", "ambito"]
    list_filter = ["rating", "language", ("ambito", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["ambito"]
    search_fields = ["page", "comment"]
    date_hierarchy = "created_at"
    readonly_fields = ["page", "language", "ambito", "rating", "comment", "created_at"]
    change_list_template = "admin/feedback/pagefeedback/change_list.html"

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("pagina"), ordering="page")
    def page_link(self, obj):
        return format_html('<a href="/{}{}">{}</a>', obj.language, obj.page, obj.page)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        # The pages readers find least clear, among the rows the filters select.
        if hasattr(response, "context_data") and "cl" in response.context_data:
            queryset = response.context_data["cl"].queryset
            response.context_data["summary"] = list(queryset.order_by().summary()[:10])
        return response
