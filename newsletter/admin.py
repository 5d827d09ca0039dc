"""Back office of the newsletter: compose, preview per language, send; subscribers for the Regione only."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from access.admin import ScopedAdminMixin
from labimpact.translation_admin import LanguageSwitchTranslationAdmin
from labimpact.translation_status import TranslationStatusMixin
from newsletter import mail, services
from newsletter.models import DeliveryStatus, Issue, Subscriber


class SubscriberResource(resources.ModelResource):
    ambiti = fields.Field(attribute="ambiti", column_name="ambiti")

    class Meta:
        model = Subscriber
        fields = [
            "email",
            "language",
            "ambiti",
            "status",
            "consent_at",
            "consent_version",
            "confirmed_at",
            "unsubscribed_at",
        ]
        export_order = fields

    def dehydrate_ambiti(self, subscriber):
        return ", ".join(a.name for a in subscriber.ambiti.all())


@admin.register(Subscriber)
class SubscriberAdmin(ScopedAdminMixin, ExportMixin, admin.ModelAdmin):
    """Only the Regione reaches this page (permission table): addresses are personal data."""

    resource_classes = [SubscriberResource]
    list_display = ["email", "language", "status", "confirmed_at", "consent_version"]
    list_filter = ["status", "language", "ambiti"]
    search_fields = ["email"]
    readonly_fields = [f.name for f in Subscriber._meta.fields] + ["ambiti"]


@admin.register(Issue)
class IssueAdmin(ScopedAdminMixin, TranslationStatusMixin, SimpleHistoryAdmin, LanguageSwitchTranslationAdmin):
    list_display = ["subject", "ambito", "status", "progress", "sent_at"]
    list_filter = ["status", ("ambito", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["subject"]
    list_select_related = ["ambito"]
    fields = ["ambito", "subject", "body", "status", "progress", "previews"]
    readonly_fields = ["status", "progress", "previews"]
    actions = ["send"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                total=Count("deliveries"),
                sent=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
                failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
            )
        )

    @admin.display(description=_("avanzamento"))
    def progress(self, obj):
        if obj is None or not obj.pk or not getattr(obj, "total", 0):
            return "—"
        return _("%(sent)s inviati su %(total)s, %(failed)s non riusciti") % {
            "sent": obj.sent,
            "total": obj.total,
            "failed": obj.failed,
        }

    @admin.display(description=_("anteprima"))
    def previews(self, obj):
        if obj is None or not obj.pk:
            return "—"
        return format_html_join(
            " · ",
            '<a href="{}" lang="{}">{}</a>',
            (
                (reverse("admin:newsletter_issue_preview", args=[obj.pk, code]), code, code)
                for code, _name in settings.LANGUAGES
            ),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/anteprima/<str:language>/",
                self.admin_site.admin_view(self.preview_view),
                name="newsletter_issue_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id, language):
        if language not in dict(settings.LANGUAGES):
            raise Http404
        issue = get_object_or_404(self.get_queryset(request), pk=object_id)
        subject, text = mail.issue_text(issue, language)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Anteprima"),
            "issue": issue,
            "subject": subject,
            "text": text,
            "language": language,
            "rtl": language in settings.LANGUAGES_BIDI,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/newsletter/preview.html", context)

    @admin.action(description=_("Invia i numeri selezionati"))
    def send(self, request, queryset):
        for issue in queryset:
            try:
                services.issue_send(issue=issue, by=request.user)
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{issue}: {' '.join(getattr(exc, 'messages', [str(exc)]))}", messages.ERROR)
            else:
                self.message_user(request, _("Invio di «%(subject)s» avviato.") % {"subject": issue}, messages.SUCCESS)

    def save_object(self, obj, user):
        services.issue_save(issue=obj, by=user)
