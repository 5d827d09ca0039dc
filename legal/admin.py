from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from access.admin import ScopedAdminMixin
from legal.models import Area, LegalConsultant
from legal.services import legal_consultant_save
from territories.admin import DemoFilter


class LegalConsultantForm(forms.ModelForm):
    areas = forms.MultipleChoiceField(choices=Area.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = LegalConsultant
        fields = ["name", "user", "email", "ambito", "provincia", "areas", "notify_language", "is_active", "is_demo"]


@admin.register(LegalConsultant)
class LegalConsultantAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = LegalConsultantForm
    list_display = ["name", "ambito", "provincia", "areas_list", "is_active", "is_demo"]
    list_filter = ["is_active", DemoFilter, "provincia"]
    search_fields = ["name"]
    autocomplete_fields = ["user", "ambito"]
    list_select_related = ["ambito", "provincia"]

    @admin.display(description=LegalConsultant._meta.get_field("areas").verbose_name)
    def areas_list(self, obj):
        return obj.get_areas_display()

    def save_object(self, obj, user):
        legal_consultant_save(consultant=obj, by=user)
