"""Checks every entry point calls: services before a write, views before they show a row.

- `check_write(by=, instance=, ambito=, data=)`: services call it first. Scope (the row as
  stored and the ambito it is filed under afterwards) → PermissionDenied / ValidationError;
  field rules (FIELDS of the table: a change to a field the role may not change) →
  ValidationError naming the field, whatever the caller (admin, history revert, import,
  API, task).
- `check_regional(by=, ambito=, message=)`: rows without an ambito are the Regione's.
- `require(user, action, obj_or_label)`: PermissionDenied unless allowed.
- `get_scoped_or_404(user, action, queryset_or_model, **lookup)`: the row, or 404 when it does
  not exist or lies outside the user's scope (the same answer, so ids reveal nothing).
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from access import permissions
from access.permissions import ADD, CHANGE


def require(user, action: str, obj: models.Model | type[models.Model] | str) -> None:
    """Refuse (403) unless `user` may perform `action` on this row, model or page label."""
    if isinstance(obj, models.Model) and obj.pk is not None:
        allowed = permissions.can_access_object(user, action, obj)
    else:
        allowed = permissions.can(user, action, obj)
    if not allowed:
        raise PermissionDenied(_("Non hai i permessi per modificare questo dato."))


def get_scoped_or_404(user, action: str, queryset_or_model, **lookup):
    """The row matching `lookup` among those `user` may `action`, else 404."""
    queryset = queryset_or_model
    if isinstance(queryset_or_model, type) and issubclass(queryset_or_model, models.Model):
        queryset = queryset_or_model._default_manager.all()
    return get_object_or_404(permissions.visible(user, queryset, action), **lookup)


def _translated(model, name: str) -> list[str]:
    """A field and, for a translated one, its per-language fields (modeltranslation)."""
    try:
        from modeltranslation.translator import NotRegistered, translator
    except ImportError:  # pragma: no cover - modeltranslation is a dependency
        return [name]
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return [name]
    return [name, *(field.name for field in options.all_fields.get(name, ()))]


def _normalise(field, value):
    if value is None or value == "":
        return None if field.null or value is None else value
    try:
        return field.to_python(value)
    except ValidationError:
        return value


def check_fields(*, by, instance: models.Model, data: dict | None = None) -> None:
    """Refuse a change to a field the role of `by` may read but not change.

    The incoming values of `instance` (and of `data`, for many-to-many fields and explicit
    field data) are compared with the stored row, or with the field defaults for a new row.
    """
    model = type(instance)._meta.concrete_model
    locked = permissions.readonly_fields(by, model, instance if instance.pk is not None else None)
    if not locked:
        return
    data = data or {}
    stored = None
    if instance.pk is not None:
        stored = model._default_manager.filter(pk=instance.pk).first()
    errors = {}
    for name in locked:
        for field_name in _translated(model, name):
            try:
                field = model._meta.get_field(field_name)
            except FieldDoesNotExist:
                continue
            if field.many_to_many:
                if field_name not in data:
                    continue
                incoming = {getattr(v, "pk", v) for v in data[field_name]}
                before = set(getattr(stored, field_name).values_list("pk", flat=True)) if stored else set()
                changed = {int(v) for v in incoming} != before
            else:
                if field_name in data:
                    new = data[field_name]
                    new = getattr(new, "pk", new)
                else:
                    new = getattr(instance, field.attname)
                old = getattr(stored, field.attname) if stored is not None else field.get_default()
                old = getattr(old, "pk", old)
                changed = _normalise(field, new) != _normalise(field, old)
            if changed:
                errors[name] = _("Non puoi modificare il campo «%(field)s».") % {
                    "field": model._meta.get_field(name).verbose_name
                }
                break
    if errors:
        raise ValidationError(errors)


def check_write(*, by, instance: models.Model, ambito=None, data: dict | None = None) -> None:
    """Refuse a write the user's role does not allow, before anything is saved.

    An existing row must be changeable by `by` as it stands in the database (so nobody
    moves someone else's record into their own ambito); the ambito it is filed under after
    the change must be one `by` works in for this kind of record; no field the role may not
    change may differ from the stored row.
    """
    action = ADD if instance.pk is None else CHANGE
    if instance.pk is None:
        allowed = permissions.can(by, ADD, instance)
    else:
        allowed = permissions.can_access_object(by, CHANGE, instance)
    if not allowed:
        raise PermissionDenied(_("Non hai i permessi per modificare questo dato."))
    if ambito is not None:
        choices = permissions.ambito_choices(by, type(instance), action)
        if not choices.filter(pk=ambito.pk).exists():
            raise ValidationError({"ambito": _("Puoi registrare dati solo per il tuo ambito.")})
    check_fields(by=by, instance=instance, data=data)


def check_regional(*, by, ambito, message: str) -> None:
    """Content without an ambito speaks for the whole region: only the Regione writes it."""
    if ambito is None and not permissions.grants_for(by).coordinator:
        raise ValidationError({"ambito": message})
