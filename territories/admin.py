from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from access.admin import ScopedAdminMixin, ScopedTabularInline
from labimpact.translation_admin import LanguageSwitchTranslationAdmin
from labimpact.translation_status import TranslationStatusMixin
from territories import services
from territories.models import Ambito, Comune, NetworkMembership, Partner, PartnerType, Provincia


class DemoFilter(admin.SimpleListFilter):
    title = _("origine del dato")
    parameter_name = "demo"

    def lookups(self, request, model_admin):
        return [("0", _("Confermato da fonti pubbliche")), ("1", _("Dimostrativo"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(is_demo=self.value() == "1")
        return queryset


@admin.register(Provincia)
class ProvinciaAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "istat_code", "is_metropolitan_city", "comuni_count"]
    search_fields = ["name", "code", "istat_code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(comuni_total=Count("comuni"))

    @admin.display(description=_("comuni"), ordering="comuni_total")
    def comuni_count(self, obj):
        return obj.comuni_total


@admin.register(Comune)
class ComuneAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "provincia", "istat_code", "cadastral_code", "postcodes", "ambito"]
    list_filter = ["provincia", ("ambito", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "istat_code", "cadastral_code", "postcodes"]
    list_select_related = ["provincia", "ambito"]
    autocomplete_fields = ["ambito"]
    readonly_fields = ["istat_code", "cadastral_code"]


@admin.register(PartnerType)
class PartnerTypeAdmin(ScopedAdminMixin, TranslationStatusMixin, LanguageSwitchTranslationAdmin):
    list_display = ["name", "key", "order"]
    search_fields = ["name", "key"]


@admin.register(Partner)
class PartnerAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "type", "ambito", "comune", "is_demo"]
    list_filter = [
        "type",
        DemoFilter,
        ("ambito__provincia", admin.RelatedOnlyFieldListFilter),
        ("ambito", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name"]
    list_select_related = ["type", "ambito", "comune"]
    autocomplete_fields = ["comune", "ambito"]

    def save_object(self, obj, user):
        services.partner_save(partner=obj, by=user)


class NetworkMembershipInline(ScopedTabularInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ["partner"]

    def save_object(self, obj, user):
        services.network_membership_save(membership=obj, by=user)


@admin.register(Ambito)
class AmbitoAdmin(ScopedAdminMixin, TranslationStatusMixin, SimpleHistoryAdmin, LanguageSwitchTranslationAdmin):
    list_display = ["name", "provincia", "capofila", "comuni_count", "budget", "is_demo"]
    list_filter = ["provincia", DemoFilter]
    search_fields = ["name", "capofila__name", "comuni__name"]
    list_select_related = ["provincia", "capofila"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["capofila", "coordinated_by"]
    inlines = [NetworkMembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "provincia", "capofila", "coordinated_by", "is_demo"]}),
        (_("Progetto locale"), {"fields": ["project_title", "description", "budget", "budget_extra"]}),
        (_("Contatti"), {"fields": ["email", "phone", "website"]}),
        (_("Contesto e fonti"), {"fields": ["foreign_residents", "notes", "source"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(comuni_total=Count("comuni"))

    @admin.display(description=_("comuni"), ordering="comuni_total")
    def comuni_count(self, obj):
        return obj.comuni_total

    def save_object(self, obj, user):
        services.ambito_save(ambito=obj, by=user)
