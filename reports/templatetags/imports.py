"""{% import_url "sportelli" as url %}: the import page of that importer, for the changelist's
object tools, or "" when the reader may not use it (the permission table decides, as in
reports.admin_imports, so a link never leads to a refusal)."""

from django import template
from django.urls import reverse

from reports import importers

register = template.Library()


@register.simple_tag(takes_context=True)
def import_url(context, identifier: str) -> str:
    request = context.get("request")
    cls = importers.REGISTRY.get(identifier)
    if request is None or cls is None or cls not in importers.available(request.user):
        return ""
    return reverse("admin:reports_import", args=[identifier])
