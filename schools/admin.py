from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from access.admin import ScopedAdminMixin
from schools.models import School
from schools.services import school_save
from territories.admin import DemoFilter


@admin.register(School)
class SchoolAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "comune", "ambito", "is_demo"]
    list_filter = [
        "kind",
        DemoFilter,
        ("ambito__provincia", admin.RelatedOnlyFieldListFilter),
        ("ambito", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "code", "comune__name"]
    list_select_related = ["comune", "ambito"]
    autocomplete_fields = ["ambito", "comune"]

    def save_object(self, obj, user):
        school_save(school=obj, by=user)
