"""Build the POST an admin change form would send, from the page as the user got it."""

from __future__ import annotations

from django.db.models import Model


def _value(field, value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return [str(item.pk if isinstance(item, Model) else item) for item in items]
    return field.widget.format_value(value) if hasattr(field.widget, "format_value") else str(value)


def _form_fields(form, data):
    for name, field in form.fields.items():
        raw = form[name].value()
        value = _value(field, raw)
        if value is None:
            continue
        data[form.add_prefix(name)] = value


def change_form_data(response) -> dict:
    """Every field of the admin form and its inline formsets, as currently shown."""
    data: dict = {}
    _form_fields(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.initial_forms:
            _form_fields(form, data)
        data[management.add_prefix("TOTAL_FORMS")] = len(formset.initial_forms)
    return data


def add_inline_row(data: dict, prefix: str, **values) -> dict:
    """Append a new row to the inline formset `prefix` (e.g. "slots")."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    return data
