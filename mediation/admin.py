from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from access.admin import ScopedAdminMixin
from mediation.models import Mediator
from mediation.services import mediator_save
from territories.admin import DemoFilter


@admin.register(Mediator)
class MediatorAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "languages_list", "is_available", "is_demo"]
    list_filter = ["is_available", DemoFilter, "languages", "ambiti"]
    search_fields = ["last_name", "first_name", "email", "languages__name"]
    filter_horizontal = ["languages", "ambiti"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("languages")

    @admin.display(description=Mediator._meta.get_field("languages").verbose_name)
    def languages_list(self, obj):
        return ", ".join(language.name for language in obj.languages.all())

    def save_object(self, obj, user):
        mediator_save(mediator=obj, by=user)
