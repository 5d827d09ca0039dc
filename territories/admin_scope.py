"""The admin side of territories.permissions: every ModelAdmin of the portal mixes this in.

It narrows changelists, change views, deletes, autocomplete and the choices of foreign keys
and many-to-many fields to what the user may see, asks the permission table instead of
Django's per-user model permissions, and routes saves through a service.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from labimpact.admin_conflicts import SaveConflictMixin
from territories import permissions, services


class ScopedAdminMixin(SaveConflictMixin):
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = permissions.visible(request.user, field.queryset)
        return field

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        # An operator of a single ambito files new records there without having to pick it.
        ambiti = permissions.grants_for(request.user).ambito_ids
        if len(ambiti) == 1 and any(f.name == "ambito" for f in self.model._meta.fields):
            initial.setdefault("ambito", next(iter(ambiti)))
        return initial

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = permissions.visible(request.user, field.queryset)
        return field

    # --- writes go through the services ---------------------------------------------
    def save_object(self, obj, user):
        """Save through a service; admins of records with rules of their own override this."""
        services.record_save(instance=obj, by=user)

    def save_model(self, request, obj, form, change):
        try:
            self.save_object(obj, request.user)
        except ValidationError as exc:
            # The form already ran the model's validation; what reaches here is a scope
            # rule of the service. Show it instead of a 500.
            raise PermissionDenied("; ".join(exc.messages)) from exc

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
        for obj in instances:
            save(obj, request.user)
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
