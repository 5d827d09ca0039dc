from django.contrib import admin

from access.admin import ScopedAdminMixin, ScopedTabularInline
from access.services import record_save
from labimpact.translation_admin import LanguageSwitchTranslationAdmin
from labimpact.translation_status import TranslationStatusMixin
from plan.models import MacroAzione, Plan, PlanExtension


class ReferenceAdmin(ScopedAdminMixin, TranslationStatusMixin, LanguageSwitchTranslationAdmin):
    """Translated reference data: the Regione corrects it, ambiti read it."""


class PlanExtensionInline(ScopedTabularInline):
    model = PlanExtension
    extra = 0
    fields = ["ambito", "end", "source"]

    def save_object(self, obj, user):
        record_save(instance=obj, by=user)


@admin.register(Plan)
class PlanAdmin(ReferenceAdmin):
    list_display = ["title", "code", "start", "end", "comuni_covered", "budget_total", "is_demo"]
    inlines = [PlanExtensionInline]


@admin.register(MacroAzione)
class MacroAzioneAdmin(ReferenceAdmin):
    list_display = ["number", "title", "plan"]
    list_display_links = ["number", "title"]
    list_filter = ["plan"]
