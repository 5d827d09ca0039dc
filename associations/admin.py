"""Back office of associations and events: the ambito's moderation queue, representatives, events."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from access import permissions
from access.admin import ScopedAdminMixin
from associations import services
from associations.models import Association, AssociationStatus, Event, Representative
from labimpact.translation_admin import LanguageSwitchTranslationAdmin
from labimpact.translation_status import TranslationStatusMixin
from territories.admin import DemoFilter


def _decide(modeladmin, request, queryset, decide, done):
    count = 0
    for association in queryset:
        try:
            decide(association=association, by=request.user)
            count += 1
        except (PermissionDenied, ValidationError) as exc:
            modeladmin.message_user(request, f"{association}: {exc}", messages.ERROR)
    if count:
        modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)


class RepresentativeForm(forms.Form):
    email = forms.EmailField(label=_("Email del referente"))


@admin.register(Association)
class AssociationAdmin(ScopedAdminMixin, TranslationStatusMixin, SimpleHistoryAdmin, LanguageSwitchTranslationAdmin):
    list_display = ["name", "kind", "comune", "ambito", "status", "active", "is_demo"]
    list_filter = ["status", "active", "kind", DemoFilter, ("ambito", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "communities"]
    list_select_related = ["comune", "ambito"]
    autocomplete_fields = ["comune"]
    filter_horizontal = ["languages", "topics"]
    actions = ["publish", "reject"]
    readonly_fields = ["representatives_list"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "comune", "ambito", "status", "active", "is_demo"]}),
        (_("Chi sono"), {"fields": ["communities", "languages", "topics", "description", "logo"]}),
        (
            _("Contatti"),
            {
                "fields": [
                    "address",
                    "latitude",
                    "longitude",
                    "contact_person",
                    "show_contact_person",
                    "email",
                    "show_email",
                    "phone",
                    "show_phone",
                    "website",
                    "facebook",
                    "instagram",
                ]
            },
        ),
        (
            _("Verifica"),
            {
                "fields": [
                    "proposer_name",
                    "proposer_email",
                    "proposer_language",
                    "decision_note",
                    "reviewed_by",
                    "reviewed_at",
                    "representatives_list",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        for name in ("reviewed_by", "reviewed_at"):
            if name not in fields:
                fields.append(name)
        # Status moves through the actions (publish / reject), which mail the proposer.
        if obj is not None and "status" not in fields:
            fields.append("status")
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if services.represented(request.user):
            # A representative never sees who proposed the page or what the ambito noted.
            return fieldsets[:3]
        return fieldsets

    def get_actions(self, request):
        actions = super().get_actions(request)
        if services.represented(request.user):
            actions.pop("publish", None)
            actions.pop("reject", None)
        return actions

    @admin.display(description=_("referenti"))
    def representatives_list(self, obj):
        if obj is None or not obj.pk:
            return "—"
        names = ", ".join(r.user.username for r in obj.representatives.select_related("user")) or "—"
        if obj.status != AssociationStatus.PUBLISHED:
            return names
        url = reverse("admin:associations_association_representative", args=[obj.pk])
        return format_html('{} · <a href="{}">{}</a>', names, url, _("Dai un account al referente"))

    @admin.action(description=_("Pubblica le associazioni selezionate"))
    def publish(self, request, queryset):
        _decide(self, request, queryset, services.association_publish, _("%(count)s associazioni pubblicate."))

    @admin.action(description=_("Non pubblicare le associazioni selezionate"))
    def reject(self, request, queryset):
        _decide(self, request, queryset, services.association_reject, _("%(count)s proposte non pubblicate."))

    def save_object(self, obj, user):
        services.association_save(association=obj, by=user)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/referente/",
                self.admin_site.admin_view(self.representative_view),
                name="associations_association_representative",
            ),
            *super().get_urls(),
        ]

    def representative_view(self, request, object_id):
        """Give the association a representative account (a form with their e-mail)."""
        association = get_object_or_404(self.get_queryset(request), pk=object_id)
        if services.represented(request.user):
            raise PermissionDenied
        if not self.has_change_permission(request, association):
            raise PermissionDenied
        form = RepresentativeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                representative = services.representative_create(
                    association=association, email=form.cleaned_data["email"], by=request.user
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                    form.add_error(field if field in form.fields else None, errors)
            else:
                self.message_user(
                    request,
                    _("Account «%(username)s» creato: il referente riceve per email il link per scegliere la password.")
                    % {"username": representative.user.username},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:associations_association_change", args=[association.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Dai un account al referente"),
            "association": association,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/associations/representative_form.html", context)

    def get_queryset(self, request):
        # The ambito's moderation queue first.
        return (
            super()
            .get_queryset(request)
            .order_by(
                models_case_status(),
                "name",
            )
        )


def models_case_status():
    from django.db.models import Case, IntegerField, Value, When

    return Case(When(status=AssociationStatus.PROPOSED, then=Value(0)), default=Value(1), output_field=IntegerField())


@admin.register(Representative)
class RepresentativeAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "association", "created_at"]
    list_select_related = ["user", "association"]
    autocomplete_fields = ["association"]
    search_fields = ["user__username", "association__name"]
    readonly_fields = ["user"]


@admin.register(Event)
class EventAdmin(ScopedAdminMixin, TranslationStatusMixin, SimpleHistoryAdmin, LanguageSwitchTranslationAdmin):
    list_display = ["title", "start", "recurrence", "ambito", "association", "is_published", "is_demo"]
    list_filter = ["is_published", DemoFilter, ("ambito", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "place"]
    list_select_related = ["ambito", "association"]
    date_hierarchy = "start"
    autocomplete_fields = ["comune", "partner", "association"]
    filter_horizontal = ["languages"]
    actions = ["record_as_activity"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "is_published", "is_demo"]}),
        (_("Chi organizza"), {"fields": ["ambito", "association", "partner"]}),
        (_("Quando"), {"fields": ["start", "end", "recurrence", "recurrence_until", "recurrence_count"]}),
        (
            _("Dove e per chi"),
            {"fields": ["place", "comune", "languages", "audience", "is_free", "registration_url", "macro_azione"]},
        ),
        (_("Registro attività"), {"fields": ["activity"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # A representative's events are their association's, in its ambito, with no partner.
        extra = ["activity", "ambito", "association", "partner"] if services.represented(request.user) else ["activity"]
        return fields + [name for name in extra if name not in fields]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        own = services.represented(request.user)
        if own:
            initial["association"] = own
        return initial

    def get_actions(self, request):
        actions = super().get_actions(request)
        from reports.models import Activity

        if not permissions.can(request.user, permissions.ADD, Activity):
            actions.pop("record_as_activity", None)
        return actions

    @admin.action(description=_("Registra gli eventi passati come attività"))
    def record_as_activity(self, request, queryset):
        done = 0
        for event in queryset:
            try:
                services.event_to_activity(event=event, by=request.user)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{event}: {' '.join(getattr(exc, 'messages', [str(exc)]))}", messages.ERROR)
        if done:
            self.message_user(
                request,
                _("%(count)s eventi registrati: aggiungi i partecipanti nel registro attività.") % {"count": done},
                messages.SUCCESS,
            )

    def save_object(self, obj, user):
        services.event_save(event=obj, by=user)
