from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from access import permissions
from access.admin import ScopedAdminMixin, ScopedTabularInline
from access.permissions import VIEW
from access.scope import require
from common.text import natural_key
from reports import admin_imports, selectors, services
from reports.forms import DashboardFilterForm
from reports.models import Activity, BeneficiaryGroup
from territories.models import Ambito


class NaturalRelatedOnlyFilter(admin.RelatedOnlyFieldListFilter):
    """Ambiti in natural order in the sidebar: "Ambito 2" before "Ambito 10"."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        return sorted(choices, key=lambda choice: natural_key(str(choice[1])))


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

            # Two plans share macro-azione numbers: say which plan each one belongs to.
            self.fields["macro_azione"].label_from_instance = lambda m: f"{m.number}. {m.title} — {m.plan.title}"
            self.fields["macro_azione"].queryset = self.fields["macro_azione"].queryset.select_related("plan")

    def clean(self):
        data = super().clean()
        if not data.get("macro_azione") and data.get("kind"):
            ambito = data.get("ambito") or (self.instance.ambito if self.instance.ambito_id else None)
            data["macro_azione"] = services.default_macro_azione(
                data["kind"], day=data.get("start_date"), ambito_id=ambito.pk if ambito else None
            )
            self.instance.macro_azione = data["macro_azione"]
        self._refuse_double_entry(data)
        return data

    def _refuse_double_entry(self, data) -> None:
        ambito = data.get("ambito") or (self.instance.ambito if self.instance.ambito_id else None)
        if not (ambito and data.get("kind") and data.get("title") and data.get("start_date") and data.get("end_date")):
            return
        probe = Activity(
            pk=self.instance.pk,
            ambito=ambito,
            kind=data["kind"],
            title=data["title"],
            start_date=data["start_date"],
            end_date=data["end_date"],
        )
        duplicate = Activity.objects.same_as(probe).first()
        if duplicate is not None:
            url = reverse("admin:reports_activity_change", args=[duplicate.pk])
            raise forms.ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Questa attività è già registrata con gli stessi dati:"),
                    url,
                    duplicate,
                )
            )


@admin.register(Activity)
class ActivityAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = ActivityAdminForm
    change_list_template = "admin/reports/activity/change_list.html"
    inlines = [BeneficiaryInline]
    list_display = ["title", "kind", "ambito", "macro_number", "start_date", "end_date", "hours", "beneficiaries"]
    list_filter = [
        "macro_azione",
        "kind",
        ("ambito__provincia", admin.RelatedOnlyFieldListFilter),
        ("ambito", NaturalRelatedOnlyFilter),
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

    def get_changeform_initial_data(self, request):
        # The calendar opens on the field's value: start a new activity on a day the
        # user's ambito may log (today when a plan covers it), not outside every period.
        initial = super().get_changeform_initial_data(request)
        day = selectors.loggable_day(request.user, ambito_id=initial.get("ambito"))
        if day is not None:
            initial.setdefault("start_date", day)
            initial.setdefault("end_date", day)
        return initial

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        periods = selectors.plan_periods(request.user)
        if periods and "start_date" in form.base_fields:
            form.base_fields["start_date"].help_text = _("Periodi ammessi: %(periods)s.") % {"periods": periods}
        return form

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
            path(
                "importa/<slug:identifier>/",
                self.admin_site.admin_view(
                    lambda request, identifier: admin_imports.import_view(self, request, identifier)
                ),
                name="reports_import",
            ),
            path(
                "importa/<slug:identifier>/modello/",
                self.admin_site.admin_view(
                    lambda request, identifier: admin_imports.template_view(self, request, identifier)
                ),
                name="reports_import_template",
            ),
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
        from access.home import untranslated_table

        require(request.user, VIEW, "reports.translations")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Contenuti da tradurre"),
            **untranslated_table(request.user),
        }
        return render(request, "admin/reports/translations.html", context)


# Registered with the admin on import.
from reports import admin_exports  # noqa: E402, F401
