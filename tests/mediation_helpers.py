"""Shared set-up for the mediation tests: personas of the new roles and a request factory."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from mediation import services
from mediation.models import MediationRequest, Mediator
from schools.models import School
from services.models import Language


def user(username):
    return get_user_model().objects.get(username=username)


def next_weekday(weekday: int, hour: int = 10, weeks: int = 1) -> datetime:
    """A moment `weeks` weeks ahead on `weekday` at `hour` (Rome time): inside Samira's hours."""
    today = timezone.localdate()
    days = (weekday - today.weekday()) % 7 + 7 * weeks
    return timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour, 0)))


def submit(*, by=None, languages=("ar",), setting="parent_teacher", start=None, **fields) -> MediationRequest:
    by = by or user("referente_scuola")
    request = MediationRequest(
        setting=setting,
        urgency=fields.pop("urgency", 2),
        preferred_start=start or next_weekday(1),
        duration_minutes=fields.pop("duration_minutes", 60),
        need=fields.pop("need", "Colloquio con la famiglia di un alunno neoarrivato"),
        **fields,
    )
    if "school" not in fields and "social_worker" not in fields and by.username == "referente_scuola":
        request.school = School.objects.get(code="MIIC00001D")
    return services.mediation_request_submit(
        request=request, languages=Language.objects.filter(code__in=languages), by=by
    )


def samira():
    return Mediator.objects.get(first_name="Samira")


def admin_form_data(response) -> dict:
    """What a browser would post back from an admin change page: the form and its inlines."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(getattr(v, "pk", v)) for v in value]
            else:
                data[key] = str(getattr(value, "pk", value))

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            add(form)
    return data
