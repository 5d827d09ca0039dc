from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from access.admin import ScopedAdminMixin
from labimpact.translation_status import TranslationStatusMixin
from plan.models import MacroAzione, Plan


class ReferenceAdmin(ScopedAdminMixin, TranslationStatusMixin, TabbedTranslationAdmin):
    """Translated reference data: the Regione corrects it, ambiti read it."""


@admin.register(Plan)
class PlanAdmin(ReferenceAdmin):
    list_display = ["title", "code", "start", "end", "comuni_covered", "budget_total"]


@admin.register(MacroAzione)
class MacroAzioneAdmin(ReferenceAdmin):
    list_display = ["number", "title", "plan"]
    list_display_links = ["number", "title"]
