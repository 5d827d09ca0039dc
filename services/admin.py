from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from access.admin import ScopedAdminMixin, ScopedInlineMixin, ScopedTabularInline
from labimpact.translation_admin import (
    LanguageSwitchStackedInline,
    LanguageSwitchTabularInline,
    LanguageSwitchTranslationAdmin,
)
from labimpact.translation_status import TranslationStatusMixin
from plan.admin import ReferenceAdmin
from services.models import (
    Closure,
    Guide,
    GuideSource,
    GuideStep,
    Language,
    OpeningSlot,
    ServiceCategory,
    Sportello,
)
from services.services import (
    closure_save,
    guide_save,
    guide_source_save,
    guide_step_save,
    opening_slot_save,
    sportello_save,
)
from territories.admin import DemoFilter


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ReferenceAdmin):
    list_display = ["name", "key", "order"]
    search_fields = ["name", "key"]


@admin.register(Language)
class LanguageAdmin(ReferenceAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class OpeningSlotFormSet(BaseInlineFormSet):
    """Refuses the same or overlapping slots of one day among the rows of the form."""

    def clean(self):
        super().clean()
        kept = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or self._should_delete_form(form):
                continue
            data = form.cleaned_data
            if data.get("weekday") is None or not data.get("opens") or not data.get("closes"):
                continue
            slot = OpeningSlot(weekday=data["weekday"], opens=data["opens"], closes=data["closes"])
            for other in kept:
                if slot.overlaps(other):
                    form.add_error(None, slot.overlap_error(other))
                    break
            else:
                kept.append(slot)

    def validate_unique(self):
        # The overlap check above names both slots; Django's generic "correct the
        # duplicate data" message would only repeat it less clearly.
        return


class OpeningSlotInline(ScopedTabularInline):
    model = OpeningSlot
    formset = OpeningSlotFormSet
    extra = 1

    def save_object(self, obj, user):
        opening_slot_save(slot=obj, by=user)


class ClosureInline(ScopedTabularInline, LanguageSwitchTabularInline):
    model = Closure
    extra = 0

    def save_object(self, obj, user):
        closure_save(closure=obj, by=user)


@admin.register(Sportello)
class SportelloAdmin(ScopedAdminMixin, TranslationStatusMixin, SimpleHistoryAdmin, LanguageSwitchTranslationAdmin):
    list_display = ["name", "ambito", "comune", "is_published", "is_demo", "updated_at"]
    list_filter = [
        "is_published",
        DemoFilter,
        ("ambito__provincia", admin.RelatedOnlyFieldListFilter),
        ("ambito", admin.RelatedOnlyFieldListFilter),
        "categories",
    ]
    search_fields = ["name", "address", "comune__name"]
    list_select_related = ["ambito", "comune"]
    autocomplete_fields = ["ambito", "partner", "comune", "served_comuni"]
    filter_horizontal = ["categories", "languages"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningSlotInline, ClosureInline]
    fieldsets = [
        (None, {"fields": ["ambito", "partner", "name", "slug", "is_published", "is_demo"]}),
        (
            _("Pagina del servizio"),
            {"fields": ["description", "audience", "how_to_access", "what_to_bring", "what_you_get"]},
        ),
        (_("Servizi e lingue"), {"fields": ["categories", "languages"]}),
        (_("Sede"), {"fields": ["address", "comune", "served_comuni", "latitude", "longitude", "accessibility_notes"]}),
        (_("Contatti"), {"fields": ["phone", "email", "website", "booking_url"]}),
        (_("Apertura"), {"fields": ["opening_mode", "reopening_date"]}),
    ]

    def save_object(self, obj, user):
        sportello_save(sportello=obj, by=user)


class GuideStepInline(ScopedInlineMixin, LanguageSwitchStackedInline):
    model = GuideStep
    extra = 1

    def save_object(self, obj, user):
        guide_step_save(step=obj, by=user)


class GuideSourceInline(ScopedTabularInline):
    model = GuideSource
    extra = 0
    fields = ["order", "title", "publisher", "url"]

    def save_object(self, obj, user):
        guide_source_save(source=obj, by=user)


@admin.register(Guide)
class GuideAdmin(ScopedAdminMixin, TranslationStatusMixin, SimpleHistoryAdmin, LanguageSwitchTranslationAdmin):
    list_display = ["title", "ambito", "is_published", "is_demo", "verified_on", "updated_at"]
    list_filter = ["is_published", DemoFilter, ("ambito", admin.RelatedOnlyFieldListFilter), "categories"]
    search_fields = ["title", "summary"]
    list_select_related = ["ambito"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["categories"]
    inlines = [GuideSourceInline, GuideStepInline]

    def save_object(self, obj, user):
        guide_save(guide=obj, by=user)
