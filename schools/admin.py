from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from access.admin import ScopedAdminMixin, ScopedTabularInline
from schools.models import Plesso, School
from schools.services import plesso_save, school_save
from territories.admin import DemoFilter


class PlessoInline(ScopedTabularInline):
    model = Plesso
    extra = 0
    autocomplete_fields = ["comune"]

    def save_object(self, obj, user):
        plesso_save(plesso=obj, by=user)


class CodeConfirmedFilter(admin.SimpleListFilter):
    title = _("codice meccanografico")
    parameter_name = "codice"

    def lookups(self, request, model_admin):
        return [("noto", _("noto")), ("da-confermare", _("da confermare"))]

    def queryset(self, request, queryset):
        if self.value() == "noto":
            return queryset.exclude(code="")
        if self.value() == "da-confermare":
            return queryset.filter(code="")
        return queryset


@admin.register(School)
class SchoolAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "code_or_flag", "kind", "comune", "ambito", "is_demo"]
    list_filter = [
        "kind",
        CodeConfirmedFilter,
        DemoFilter,
        ("ambito__provincia", admin.RelatedOnlyFieldListFilter),
        ("ambito", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "code", "comune__name"]
    list_select_related = ["comune", "ambito"]
    autocomplete_fields = ["ambito", "comune"]
    inlines = [PlessoInline]

    @admin.display(description=_("codice meccanografico"), ordering="code")
    def code_or_flag(self, obj):
        return obj.code or _("da confermare")

    def save_object(self, obj, user):
        school_save(school=obj, by=user)
