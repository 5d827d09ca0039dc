"""Plans and their periods are data: activities validate against the period of their ambito."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from plan.models import MacroAzione, Plan, PlanExtension
from reports import services
from reports.models import Activity
from territories.models import Ambito

pytestmark = pytest.mark.django_db


def _activity(ambito, day, kind="laboratorio_l2", macro=None):
    return Activity(
        ambito=ambito,
        kind=kind,
        title="Laboratorio L2 (test)",
        start_date=day,
        end_date=day,
        hours=Decimal("2"),
        macro_azione=macro,
    )


def test_reference_plan_has_lodi_extension_to_june_2023():
    plan = Plan.objects.get(code="prog-2463")
    lodi = Ambito.objects.get(slug="lodi")
    assert plan.window(lodi.pk) == (date(2018, 9, 14), date(2023, 6, 30))
    assert plan.window(Ambito.objects.get(slug="sesto-san-giovanni").pk) == (date(2018, 9, 14), date(2022, 6, 30))


def test_lodi_logs_in_its_extension_but_sesto_does_not(operatore_sesto, coordinatore):
    first = MacroAzione.objects.get(plan__code="prog-2463", number=1)
    lodi = Ambito.objects.get(slug="lodi")
    sesto = Ambito.objects.get(slug="sesto-san-giovanni")
    services.activity_save(activity=_activity(lodi, date(2023, 3, 1), macro=first), by=coordinatore)
    with pytest.raises(ValidationError) as exc:
        services.activity_save(activity=_activity(sesto, date(2023, 3, 1), macro=first), by=operatore_sesto)
    assert "30/06/2022" in str(exc.value)


def test_successor_plan_lets_operator_log_this_weeks_lab(operatore_sesto):
    today = timezone.localdate()
    sesto = Ambito.objects.get(slug="sesto-san-giovanni")
    activity = services.activity_save(activity=_activity(sesto, today), by=operatore_sesto)
    assert activity.macro_azione.plan.is_demo
    assert activity.macro_azione.number == 1


def test_default_macro_azione_follows_the_date():
    sesto = Ambito.objects.get(slug="sesto-san-giovanni")
    old = services.default_macro_azione("laboratorio_l2", day=date(2020, 1, 10), ambito_id=sesto.pk)
    assert old.plan.code == "prog-2463"
    new = services.default_macro_azione("laboratorio_l2", day=timezone.localdate(), ambito_id=sesto.pk)
    assert new.plan.is_demo


def test_activity_outside_every_period_is_refused_with_the_period(operatore_sesto):
    sesto = Ambito.objects.get(slug="sesto-san-giovanni")
    with pytest.raises(ValidationError) as exc:
        services.activity_save(activity=_activity(sesto, date(2017, 5, 1)), by=operatore_sesto)
    assert "start_date" in exc.value.message_dict


def test_extension_must_end_after_the_plan(coordinatore):
    plan = Plan.objects.get(code="prog-2463")
    extension = PlanExtension(plan=plan, ambito=Ambito.objects.get(slug="sesto-san-giovanni"), end=date(2021, 1, 1))
    with pytest.raises(ValidationError):
        extension.full_clean()


def test_public_site_still_presents_the_official_plan():
    from labimpact.selectors import current_plan

    assert current_plan().code == "prog-2463"


def test_operator_logs_this_weeks_l2_lab_through_the_admin(login):
    """Done when: operatore_sesto logs this week's L2 lab without a refusal."""
    client = login("operatore_sesto")
    url = reverse("admin:reports_activity_add")
    page = client.get(url)
    today = timezone.localdate()
    # The date picker opens on the field's value: today, inside the successor plan.
    assert page.context["adminform"].form.initial["start_date"] == today
    monday = today - timedelta(days=today.weekday())
    day = max(monday, Plan.objects.get(code__endswith="demo").start)
    sesto = Ambito.objects.get(slug="sesto-san-giovanni")
    data = {
        "ambito": sesto.pk,
        "kind": "laboratorio_l2",
        "macro_azione": "",
        "title": "Laboratorio L2 del lunedì (test)",
        "start_date": day.strftime("%d/%m/%Y"),
        "end_date": day.strftime("%d/%m/%Y"),
        "hours": "2",
        "place": "",
        "comune": "",
        "school": "",
        "declared_total": "",
        "notes": "",
        "beneficiaries-TOTAL_FORMS": "1",
        "beneficiaries-INITIAL_FORMS": "0",
        "beneficiaries-MIN_NUM_FORMS": "0",
        "beneficiaries-MAX_NUM_FORMS": "1000",
        "beneficiaries-0-beneficiary_type": "alunno",
        "beneficiaries-0-sex": "F",
        "beneficiaries-0-age_band": "11-13",
        "beneficiaries-0-nationality_group": "asia",
        "beneficiaries-0-count": "8",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity = Activity.objects.get(title="Laboratorio L2 del lunedì (test)")
    assert activity.beneficiaries.get().count == 8
    assert activity.macro_azione.plan.code.endswith("demo")


def test_coordinator_adds_successor_plan_without_code(login):
    client = login("coordinatore")
    assert client.get(reverse("admin:plan_plan_add")).status_code == 200
    assert login("operatore_sesto").get(reverse("admin:plan_plan_add")).status_code == 403


def test_identical_activity_is_refused_with_a_link_to_the_first(login, operatore_sesto):
    sesto = Ambito.objects.get(slug="sesto-san-giovanni")
    first = services.activity_save(activity=_activity(sesto, date(2021, 3, 1)), by=operatore_sesto)
    with pytest.raises(ValidationError) as exc:
        services.activity_save(activity=_activity(sesto, date(2021, 3, 1)), by=operatore_sesto)
    assert f"n. {first.pk}" in str(exc.value)
    data = {
        "ambito": sesto.pk,
        "kind": "laboratorio_l2",
        "macro_azione": "",
        "title": "laboratorio l2 (test) ",
        "start_date": "01/03/2021",
        "end_date": "01/03/2021",
        "hours": "2",
        "beneficiaries-TOTAL_FORMS": "0",
        "beneficiaries-INITIAL_FORMS": "0",
        "beneficiaries-MIN_NUM_FORMS": "0",
        "beneficiaries-MAX_NUM_FORMS": "1000",
    }
    response = login("operatore_sesto").post(reverse("admin:reports_activity_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("admin:reports_activity_change", args=[first.pk]) in html
    assert Activity.objects.filter(ambito=sesto, title__iexact="Laboratorio L2 (test)").count() == 1
