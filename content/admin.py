from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from access.admin import ScopedAdminMixin, ScopedTabularInline
from content import uploads
from content.models import Material, MaterialFile, News
from content.services import material_file_save, material_save, news_save
from labimpact.translation_admin import LanguageSwitchTranslationAdmin
from labimpact.translation_status import TranslationStatusMixin
from territories.admin import DemoFilter


class MaterialFileInline(ScopedTabularInline):
    model = MaterialFile
    extra = 1
    fields = ["language", "file", "file_details"]
    readonly_fields = ["file_details"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "file":
            # The browser's file picker offers only what the server accepts.
            field.widget.attrs["accept"] = uploads.ACCEPT
        return field

    @admin.display(description=_("tipo e dimensione"))
    def file_details(self, obj):
        if not obj.pk or not obj.kind:
            return "—"
        return f"{obj.kind.label}, {filesizeformat(obj.size)}"

    def save_object(self, obj, user):
        material_file_save(material_file=obj, by=user)


@admin.register(Material)
class MaterialAdmin(ScopedAdminMixin, TranslationStatusMixin, SimpleHistoryAdmin, LanguageSwitchTranslationAdmin):
    list_display = ["title", "ambito", "file_languages", "is_published", "is_demo", "updated_at"]
    list_filter = ["is_published", DemoFilter, ("ambito", admin.RelatedOnlyFieldListFilter), "categories"]
    search_fields = ["title", "description"]
    list_select_related = ["ambito"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["categories"]
    inlines = [MaterialFileInline]
    fieldsets = [
        (None, {"fields": ["ambito", "title", "slug", "description", "is_published", "is_demo"]}),
        (_("Collegamenti"), {"fields": ["categories", "macro_azione"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("files")

    @admin.display(description=_("lingue dei file"))
    def file_languages(self, obj):
        return ", ".join(f.language for f in obj.files.all()) or "—"

    def save_object(self, obj, user):
        material_save(material=obj, by=user)


@admin.register(News)
class NewsAdmin(ScopedAdminMixin, TranslationStatusMixin, SimpleHistoryAdmin, LanguageSwitchTranslationAdmin):
    list_display = ["title", "ambito", "published_at", "is_published", "is_demo"]
    list_filter = ["is_published", DemoFilter, ("ambito", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "summary"]
    list_select_related = ["ambito"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    fields = ["ambito", "title", "slug", "summary", "body", "published_at", "is_published", "is_demo"]

    def save_object(self, obj, user):
        news_save(news=obj, by=user)
