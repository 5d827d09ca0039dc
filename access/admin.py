"""The admin side of the permission table: every ModelAdmin of the portal mixes this in.

ScopedAdminMixin narrows changelists, change views, deletes, history, revert, autocomplete
and the choices of foreign keys and many-to-many fields to what the user may see, asks the
permission table instead of Django's per-user model permissions, and routes saves through a
service. A ValidationError raised by the service comes back as field or form errors on the
page the user is on; PermissionDenied (scope) stays a 403.

Also registered here: roles of users (Membership), users and groups.
"""

from __future__ import annotations

import copy

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, router, transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from access import permissions, services
from access.models import Membership
from labimpact.admin_conflicts import SaveConflictMixin

CONCURRENT_SAVE_MESSAGE = _(
    "Qualcuno ha modificato questo record nel frattempo: i dati qui sotto sono stati ricontrollati "
    "con quelli salvati, correggi ciò che è segnalato e salva di nuovo."
)


class ServiceRefused(Exception):
    """A service's ValidationError on its way back to the form (the request is re-rendered)."""

    def __init__(self, error: ValidationError):
        super().__init__(error)
        self.error = error


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field when the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            if name in form.fields and name not in form.errors:
                form.add_error(name, errors)
            else:
                form.add_error(None, errors)
    else:
        form.add_error(None, error)


class ServiceErrorsMixin:
    """Re-run a refused POST inside a fresh transaction with the service's errors on the form."""

    def _with_service_errors(self, request, view, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return view(request, *args, **kwargs)
        except ServiceRefused as refused:
            # Everything the first pass wrote is rolled back; the second pass builds the
            # same form and formsets from the POST and finds them invalid.
            request._service_errors = refused.error
            return view(request, *args, **kwargs)
        except IntegrityError:
            # Another save of the same record committed a row this one repeats (an inline's
            # unique constraint) after this form was validated. Rolled back as a whole; the
            # form comes back with what the user typed, re-validated against the rows as
            # they are now, and the reason on top.
            request._service_errors = ValidationError(CONCURRENT_SAVE_MESSAGE, code="concurrent")
            return view(request, *args, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        error = getattr(request, "_service_errors", None)
        if error is None:
            return form

        class FormWithServiceErrors(form):
            def _post_clean(self):
                super()._post_clean()
                add_service_errors(self, error)

        FormWithServiceErrors.__name__ = form.__name__
        return FormWithServiceErrors

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._with_service_errors(
            request, super().changeform_view, object_id, form_url=form_url, extra_context=extra_context
        )


# SaveConflictMixin outermost: what the services' errors do not cover (a unique constraint
# the database itself refuses, a row gone meanwhile) answers 409 with a message, not 500.
class ScopedAdminMixin(SaveConflictMixin, ServiceErrorsMixin):
    # --- what the user may do -------------------------------------------------------
    def has_module_permission(self, request):
        return permissions.can(request.user, permissions.VIEW, self.model)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, permissions.VIEW, obj)

    def has_add_permission(self, request, *args):
        return permissions.can(request.user, permissions.ADD, self.model)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, permissions.CHANGE, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, permissions.DELETE, obj)

    def has_export_permission(self, request):
        # django-import-export lets any staff user export by default; exports follow the
        # table like every other read (and get_queryset narrows the rows).
        return permissions.can(request.user, permissions.VIEW, self.model)

    def has_import_permission(self, request):
        return permissions.can(request.user, permissions.ADD, self.model)

    def _allowed(self, request, action, obj):
        if obj is None:
            return permissions.can(request.user, action, self.model)
        return permissions.can_access_object(request.user, action, obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django's admin redirects to its index when an object is missing from
        # get_queryset(); for a row outside the user's scope that reads as a success.
        # Answer 404, the same as for a row that does not exist at all.
        raise Http404

    # --- what the user may see ------------------------------------------------------
    def get_queryset(self, request):
        return permissions.visible(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        own = tuple(super().get_readonly_fields(request, obj))
        extra = permissions.readonly_fields(request.user, self.model, obj)
        return own + tuple(f for f in extra if f not in own)

    def get_prepopulated_fields(self, request, obj=None):
        # A prepopulated field cannot be read-only (the admin fails on it).
        readonly = set(self.get_readonly_fields(request, obj))
        fields = super().get_prepopulated_fields(request, obj)
        return {name: sources for name, sources in fields.items() if name not in readonly}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = permissions.visible(request.user, field.queryset)
        return field

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        # An operator of a single ambito files new records there without having to pick it.
        ambiti = list(permissions.ambito_choices(request.user, self.model).values_list("pk", flat=True)[:2])
        if (
            not permissions.grants_for(request.user).coordinator
            and len(ambiti) == 1
            and any(f.name == "ambito" for f in self.model._meta.fields)
        ):
            initial.setdefault("ambito", ambiti[0])
        return initial

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = permissions.visible(request.user, field.queryset)
        return field

    # --- history and revert (django-simple-history) ----------------------------------
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.model._default_manager.filter(pk=unquote(object_id)).first()
        if request.method == "POST":
            # Reverting changes the row as it stands (reading its history is not enough);
            # restoring a deleted row adds it again.
            if current is None:
                allowed = self.has_add_permission(request)
            else:
                allowed = self.has_change_permission(request, current)
            if not allowed:
                raise PermissionDenied
        # The history form is built with the admin's prepopulated fields as declared;
        # drop those that are read-only for this user (otherwise the page fails).
        scoped = copy.copy(self)
        scoped.prepopulated_fields = self.get_prepopulated_fields(request, current)
        view = super(ScopedAdminMixin, scoped).history_form_view
        return self._with_service_errors(request, view, object_id, version_id, extra_context=extra_context)

    # --- writes go through the services ---------------------------------------------
    def save_object(self, obj, user):
        """Save through a service; admins of records with rules of their own override this."""
        services.record_save(instance=obj, by=user)

    def save_model(self, request, obj, form, change):
        try:
            self.save_object(obj, request.user)
        except ValidationError as exc:
            raise ServiceRefused(exc) from exc

    def save_related(self, request, form, formsets, change):
        # A narrowed many-to-many field cannot show the rows the user may not see, so
        # saving the form would silently drop them (e.g. an operator editing a mediator
        # shared with another ambito). Put them back after the form has saved its part.
        hidden = {}
        if change:
            for name, field in form.fields.items():
                model_field = getattr(self.model, name, None)
                if hasattr(field, "queryset") and hasattr(model_field, "field") and model_field.field.many_to_many:
                    current = getattr(form.instance, name).all()
                    hidden[name] = list(current.exclude(pk__in=field.queryset.values("pk")))
        super().save_related(request, form, formsets, change)
        for name, rows in hidden.items():
            if rows:
                getattr(form.instance, name).add(*rows)

    def save_formset(self, request, form, formset, change):
        save = getattr(formset, "save_object", None)
        if save is None:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            if not permissions.can_access_object(request.user, permissions.DELETE, obj):
                raise PermissionDenied
            obj.delete()
        try:
            for obj in instances:
                save(obj, request.user)
        except ValidationError as exc:
            raise ServiceRefused(exc) from exc
        formset.save_m2m()

    def delete_model(self, request, obj):
        if not permissions.can_access_object(request.user, permissions.DELETE, obj):
            raise PermissionDenied
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        allowed = permissions.visible(request.user, queryset, permissions.DELETE)
        if allowed.count() != queryset.count():
            raise PermissionDenied
        super().delete_queryset(request, queryset)


class ScopedInlineMixin:
    """Inline rows follow the same table as their own model and save through its service."""

    def save_object(self, obj, user):
        raise NotImplementedError(f"{type(self).__name__} must save through a service")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.save_object = staticmethod(self.save_object)
        return formset

    def get_queryset(self, request):
        return permissions.visible(request.user, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        return permissions.can(request.user, permissions.VIEW, self.model)

    def has_add_permission(self, request, obj=None):
        return permissions.can(request.user, permissions.ADD, self.model)

    def has_change_permission(self, request, obj=None):
        return permissions.can(request.user, permissions.CHANGE, self.model)

    def has_delete_permission(self, request, obj=None):
        return permissions.can(request.user, permissions.DELETE, self.model)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = permissions.visible(request.user, field.queryset)
        return field


class ScopedTabularInline(ScopedInlineMixin, admin.TabularInline):
    pass


# --- users and their roles ---------------------------------------------------------------
@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "role", "ambito", "school"]
    list_filter = ["role", ("ambito", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__email", "ambito__name", "school__name"]
    list_select_related = ["user", "ambito", "school"]
    autocomplete_fields = ["user", "ambito", "school"]

    def save_object(self, obj, user):
        services.membership_save(membership=obj, by=user)


class MembershipInline(ScopedTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["ambito", "school"]

    def save_object(self, obj, user):
        services.membership_save(membership=obj, by=user)


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(User)
class LabImpactUserAdmin(ScopedAdminMixin, UserAdmin):
    inlines = [MembershipInline]


@admin.register(Group)
class LabImpactGroupAdmin(ScopedAdminMixin, GroupAdmin):
    """Groups are unused by the portal's roles; kept for the Regione's own housekeeping."""


def _name_third_party_sections():
    """Give third-party apps (axes, django-otp) the Italian section names of access.sites.

    An app's verbose name is not part of any migration; setting it here, once the apps are
    loaded, names the section the same in the menu, the breadcrumbs and the page titles.
    """
    from django.apps import apps

    from access.sites import APP_NAMES

    for label, name in APP_NAMES.items():
        if apps.is_installed(label) or label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name


_name_third_party_sections()
