from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from labimpact.translation_status import TranslationStatusMixin
from plan.admin import ReferenceAdmin
from services.models import Language, ServiceCategory, Sportello
from services.services import sportello_save
from territories.admin import DemoFilter
from territories.admin_scope import ScopedAdminMixin


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ReferenceAdmin):
    list_display = ["name", "key", "order"]
    search_fields = ["name", "key"]


@admin.register(Language)
class LanguageAdmin(ReferenceAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Sportello)
class SportelloAdmin(ScopedAdminMixin, TranslationStatusMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
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
    autocomplete_fields = ["ambito", "partner", "comune"]
    filter_horizontal = ["categories", "languages"]
    prepopulated_fields = {"slug": ["name"]}

    def save_object(self, obj, user):
        sportello_save(sportello=obj, by=user)
