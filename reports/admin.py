from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.forms.models import BaseInlineFormSet
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export import fields, resources
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from access import permissions
from access.admin import ScopedAdminMixin, ScopedTabularInline
from access.permissions import VIEW
from access.scope import require
from labimpact.translation_status import untranslated_by_ambito
from reports import selectors, services
from reports.forms import DashboardFilterForm
from reports.models import Activity, BeneficiaryGroup
from territories.models import Ambito


class BeneficiaryFormSet(BaseInlineFormSet):
    def validate_unique(self):
        # Django's own message names the raw columns ("sex, age_band, …"); the service's
        # check below says the same thing in words an operator reads.
        pass

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            form.instance for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        try:
            services.beneficiary_totals_check(declared_total=self.instance.declared_total, rows=rows)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc


class BeneficiaryInline(ScopedTabularInline):
    model = BeneficiaryGroup
    formset = BeneficiaryFormSet
    extra = 3
    fields = ["beneficiary_type", "sex", "age_band", "nationality_group", "count"]

    def save_object(self, obj, user):
        services.beneficiary_group_save(group=obj, by=user)


class ActivityAdminForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "ambito",
            "kind",
            "macro_azione",
            "title",
            "start_date",
            "end_date",
            "hours",
            "place",
            "comune",
            "partners",
            "school",
            "declared_total",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "macro_azione" in self.fields:
            # Left empty, it follows from the kind of activity (see KIND_MACRO_AZIONE).
            self.fields["macro_azione"].required = False
            self.fields["macro_azione"].help_text = _(
                "Se lasci vuoto, viene proposta quella tipica del tipo di attività."
            )

    def clean(self):
        data = super().clean()
        if not data.get("macro_azione") and data.get("kind"):
            data["macro_azione"] = services.default_macro_azione(data["kind"])
            self.instance.macro_azione = data["macro_azione"]
        return data


class ActivityResource(resources.ModelResource):
    ambito = fields.Field(attribute="ambito__name", column_name="ambito")
    macro_azione = fields.Field(attribute="macro_azione__number", column_name="macro_azione")
    beneficiaries = fields.Field(column_name="beneficiari")

    class Meta:
        model = Activity
        fields = [
            "id",
            "ambito",
            "macro_azione",
            "kind",
            "title",
            "start_date",
            "end_date",
            "hours",
            "place",
            "beneficiaries",
        ]
        export_order = fields

    def dehydrate_beneficiaries(self, activity):
        return activity.beneficiaries.aggregate(total=Sum("count"))["total"] or 0


@admin.register(Activity)
class ActivityAdmin(ScopedAdminMixin, ExportMixin, SimpleHistoryAdmin):
    form = ActivityAdminForm
    resource_classes = [ActivityResource]
    inlines = [BeneficiaryInline]
    list_display = ["title", "kind", "ambito", "macro_number", "start_date", "end_date", "hours", "beneficiaries"]
    list_filter = [
        "macro_azione",
        "kind",
        ("ambito__provincia", admin.RelatedOnlyFieldListFilter),
        ("ambito", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "place", "comune__name", "school__name"]
    date_hierarchy = "start_date"
    list_select_related = ["ambito", "macro_azione"]
    autocomplete_fields = ["comune", "school", "partners"]
    actions = ["duplicate_next_week"]
    fieldsets = [
        (None, {"fields": ["ambito", "kind", "macro_azione", "title"]}),
        (_("Quando e dove"), {"fields": ["start_date", "end_date", "hours", "place", "comune"]}),
        (_("Con chi"), {"fields": ["partners", "school", "declared_total", "notes"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_totals()

    @admin.display(description=_("macro-azione"), ordering="macro_azione__number")
    def macro_number(self, obj):
        return obj.macro_azione.number

    @admin.display(description=_("beneficiari"), ordering="beneficiaries_total")
    def beneficiaries(self, obj):
        return obj.beneficiaries_total

    def save_object(self, obj, user):
        services.activity_save(activity=obj, by=user)

    @admin.action(description=_("Duplica le attività selezionate alla settimana successiva"))
    def duplicate_next_week(self, request, queryset):
        copies = 0
        for activity in queryset.prefetch_related("beneficiaries", "partners"):
            try:
                services.activity_duplicate(activity=activity, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{activity}: {'; '.join(exc.messages)}", messages.ERROR)
            else:
                copies += 1
        if copies:
            self.message_user(
                request,
                ngettext("%(count)d attività duplicata.", "%(count)d attività duplicate.", copies) % {"count": copies},
                messages.SUCCESS,
            )

    def get_urls(self):
        extra = [
            path("cruscotto/", self.admin_site.admin_view(self.dashboard_view), name="reports_dashboard"),
            path("traduzioni/", self.admin_site.admin_view(self.translations_view), name="reports_translations"),
        ]
        return extra + super().get_urls()

    def dashboard_view(self, request):
        require(request.user, VIEW, "reports.dashboard")
        ambiti = permissions.visible(request.user, Ambito.objects.all())
        form = DashboardFilterForm(request.GET or None, ambiti=ambiti)
        filters = form.cleaned_data if form.is_valid() else {}
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cruscotto degli indicatori"),
            "form": form,
            **selectors.dashboard(
                request.user,
                provincia=filters.get("provincia"),
                ambito=filters.get("ambito"),
                start=filters.get("start"),
                end=filters.get("end"),
            ),
        }
        return render(request, "admin/reports/dashboard.html", context)

    def translations_view(self, request):
        require(request.user, VIEW, "reports.translations")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Contenuti da tradurre"),
            **untranslated_by_ambito(request.user),
        }
        return render(request, "admin/reports/translations.html", context)
