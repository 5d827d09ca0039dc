import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from access import permissions
from access.admin import ScopedAdminMixin, ScopedTabularInline
from mediation.models import (
    Absence,
    Availability,
    MediationRequest,
    Mediator,
    MediatorLanguage,
    SocialWorker,
    Training,
)
from mediation.services import (
    mediation_request_read,
    mediator_erase,
    mediator_part_save,
    mediator_personal_data,
    mediator_save,
    social_worker_save,
)
from territories.admin import DemoFilter


class _MediatorPartInline(ScopedTabularInline):
    extra = 0

    def save_object(self, obj, user):
        mediator_part_save(part=obj, by=user)


class MediatorLanguageInline(_MediatorPartInline):
    model = MediatorLanguage
    extra = 1


class TrainingInline(_MediatorPartInline):
    model = Training


class AvailabilityInline(_MediatorPartInline):
    model = Availability


class AbsenceInline(_MediatorPartInline):
    model = Absence


@admin.register(Mediator)
class MediatorAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "languages_list", "is_available", "is_active", "is_demo"]
    list_filter = ["is_available", "is_active", DemoFilter, "languages", "ambiti"]
    search_fields = ["last_name", "first_name", "email", "languages__name"]
    filter_horizontal = ["ambiti"]
    autocomplete_fields = ["user"]
    exclude = ["erased_at"]
    inlines = [MediatorLanguageInline, AvailabilityInline, AbsenceInline, TrainingInline]
    actions = ["export_personal_data", "erase_personal_data"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("languages")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not permissions.can(request.user, permissions.VIEW, "mediation.mediator_personal_data"):
            actions.pop("export_personal_data", None)
            actions.pop("erase_personal_data", None)
        return actions

    @admin.display(description=Mediator._meta.get_field("languages").verbose_name)
    def languages_list(self, obj):
        return ", ".join(language.name for language in obj.languages.all())

    def save_object(self, obj, user):
        mediator_save(mediator=obj, by=user)

    @admin.action(description=gettext_lazy("Esporta i dati personali (richiesta di accesso)"))
    def export_personal_data(self, request, queryset):
        try:
            data = [mediator_personal_data(mediator=m, by=request.user) for m in queryset]
        except PermissionDenied:
            raise
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="mediatori-dati-personali.json"'
        return response

    @admin.action(description=gettext_lazy("Cancella i dati personali (mediatore che lascia)"))
    def erase_personal_data(self, request, queryset):
        for mediator in queryset:
            try:
                mediator_erase(mediator=mediator, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{mediator}: {'; '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("Dati personali cancellati; le statistiche restano."), messages.SUCCESS)


@admin.register(SocialWorker)
class SocialWorkerAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "service", "ambito", "is_active", "is_demo"]
    list_filter = ["is_active", DemoFilter, ("ambito", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "service"]
    autocomplete_fields = ["user", "ambito", "partner"]
    list_select_related = ["user", "ambito"]

    def save_object(self, obj, user):
        social_worker_save(social_worker=obj, by=user)


@admin.register(MediationRequest)
class MediationRequestAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Requests read-only, scoped like everything else: they change through their life cycle's
    pages (`/<lang>/mediazione/…`), never by editing the row."""

    list_display = ["__str__", "ambito", "setting", "urgency", "status", "submitted_at", "mediator"]
    list_filter = ["status", "setting", "urgency", ("ambito", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["ambito", "mediator"]
    date_hierarchy = "submitted_at"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_queryset(request).filter(pk=object_id).first()
        if obj is not None:
            mediation_request_read(request=obj, by=request.user)
        return super().change_view(request, object_id, form_url, extra_context)
