"""Issue 5: activity logging, dashboard, translation status, history and login protection."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports import services
from reports.models import Activity, BeneficiaryGroup
from services.models import Sportello
from territories.models import Ambito
from tests.conftest import PERSONAS
from tests.factories import ActivityFactory, BeneficiaryGroupFactory, SportelloFactory

pytestmark = pytest.mark.django_db

OK, DENIED, LOGIN = 200, 403, 302

PAGES = {
    #                                        coord op_sesto op_crem referente mediatrice anonymous
    "admin:reports_activity_changelist": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "admin:reports_activity_add": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "admin:reports_exportjob_choose": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "admin:reports_dashboard": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "admin:reports_translations": (OK, OK, OK, DENIED, DENIED, LOGIN),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_back_office_page_matrix(login, persona, page):
    expected = PAGES[page][PERSONAS.index(persona)]
    assert login(persona).get(reverse(page)).status_code == expected


def _activity_post(ambito, **overrides):
    data = {
        "ambito": ambito.pk,
        "kind": "laboratorio_l2",
        "macro_azione": "",
        "title": "Laboratorio L2 del lunedì",
        "start_date": "2021-10-04",
        "end_date": "2021-10-04",
        "hours": "2",
        "place": "Scuola Rovani, aula 3",
        "comune": "",
        "school": "",
        "declared_total": "12",
        "notes": "",
        "beneficiaries-TOTAL_FORMS": "2",
        "beneficiaries-INITIAL_FORMS": "0",
        "beneficiaries-MIN_NUM_FORMS": "0",
        "beneficiaries-MAX_NUM_FORMS": "1000",
        "beneficiaries-0-beneficiary_type": "alunno",
        "beneficiaries-0-sex": "F",
        "beneficiaries-0-age_band": "6-10",
        "beneficiaries-0-nationality_group": "nord_africa",
        "beneficiaries-0-count": "7",
        "beneficiaries-1-beneficiary_type": "alunno",
        "beneficiaries-1-sex": "M",
        "beneficiaries-1-age_band": "6-10",
        "beneficiaries-1-nationality_group": "asia",
        "beneficiaries-1-count": "5",
    }
    data.update(overrides)
    return data


def test_operator_logs_an_activity_with_beneficiaries_in_one_form(login, operatore_sesto):
    sesto = Ambito.objects.get(slug="sesto-san-giovanni")
    response = login("operatore_sesto").post(reverse("admin:reports_activity_add"), _activity_post(sesto))
    assert response.status_code == 302, response.context["errors"]
    activity = Activity.objects.get(title="Laboratorio L2 del lunedì")
    assert activity.ambito == sesto
    assert activity.macro_azione.number == 1  # proposed from the kind of activity
    assert activity.created_by == operatore_sesto
    assert sum(activity.beneficiaries.values_list("count", flat=True)) == 12
    history = activity.history.get()
    assert history.history_user == operatore_sesto and history.history_type == "+"
    assert BeneficiaryGroup.history.filter(activity_id=activity.pk).count() == 2


def test_add_form_proposes_the_operators_ambito(login):
    response = login("operatore_sesto").get(reverse("admin:reports_activity_add"))
    form = response.context["adminform"].form
    assert form.initial["ambito"] == Ambito.objects.get(slug="sesto-san-giovanni").pk
    assert list(form.fields["ambito"].queryset.values_list("slug", flat=True)) == ["sesto-san-giovanni"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": "2021-10-01"}, "end_date", "La data di fine non può precedere"),
        ({"start_date": "2017-01-09", "end_date": "2017-01-09"}, "start_date", "periodo del piano"),
        ({"hours": "30"}, "hours", "Le ore superano"),
        ({"hours": "-2"}, "hours", ""),
        ({"beneficiaries-0-count": "-3"}, None, ""),
        ({"beneficiaries-0-age_band": "30-54"}, None, "Un alunno ha al massimo 18 anni"),
        ({"declared_total": "20"}, None, "non coincide con la somma"),
        ({"beneficiaries-1-sex": "F", "beneficiaries-1-nationality_group": "nord_africa"}, None, "stessa combinazione"),
    ],
)
def test_invalid_activity_is_refused_with_a_clear_message_and_nothing_saved(login, overrides, field, message):
    sesto = Ambito.objects.get(slug="sesto-san-giovanni")
    before = (Activity.objects.count(), BeneficiaryGroup.objects.count())
    response = login("operatore_sesto").post(reverse("admin:reports_activity_add"), _activity_post(sesto, **overrides))
    assert response.status_code == 200
    if field:
        assert field in response.context["adminform"].form.errors
    assert message in response.content.decode()
    assert (Activity.objects.count(), BeneficiaryGroup.objects.count()) == before


def test_operator_cannot_file_an_activity_under_another_ambito(login):
    cremona = Ambito.objects.get(slug="cremonese-casalasco")
    response = login("operatore_sesto").post(reverse("admin:reports_activity_add"), _activity_post(cremona))
    assert response.status_code == 200
    assert "ambito" in response.context["adminform"].form.errors
    assert not Activity.objects.filter(title="Laboratorio L2 del lunedì").exists()


def test_school_of_another_ambito_is_refused_by_the_service(operatore_sesto):
    from schools.models import School

    activity = ActivityFactory.build(school=School.objects.get(code="CRIC00001D"))
    with pytest.raises(ValidationError) as info:
        services.activity_save(activity=activity, by=operatore_sesto)
    assert "school" in info.value.message_dict


def test_activity_record_writes_all_rows_or_nothing(operatore_sesto):
    activity = ActivityFactory.build(declared_total=3)
    rows = [BeneficiaryGroupFactory.build(activity=None, count=2)]
    with pytest.raises(ValidationError):
        services.activity_record(activity=activity, rows=rows, by=operatore_sesto)
    assert not Activity.objects.filter(title=activity.title).exists()


def test_duplicate_action_copies_a_lab_to_the_next_week(login):
    lab = ActivityFactory()
    BeneficiaryGroupFactory(activity=lab, count=4)
    response = login("operatore_sesto").post(
        reverse("admin:reports_activity_changelist"),
        {"action": "duplicate_next_week", "_selected_action": [lab.pk]},
    )
    assert response.status_code == 302
    copy = Activity.objects.exclude(pk=lab.pk).get(title=lab.title)
    assert copy.start_date == lab.start_date + datetime.timedelta(days=7)
    assert list(copy.beneficiaries.values_list("count", flat=True)) == [4]


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_operator_sees_and_exports_only_own_activities(login):
    ActivityFactory(title="Attività di Sesto")
    ActivityFactory(title="Attività di Cremona", ambito=Ambito.objects.get(slug="cremonese-casalasco"))
    client = login("operatore_sesto")
    shown = {a.title for a in client.get(reverse("admin:reports_activity_changelist")).context["cl"].result_list}
    assert "Attività di Sesto" in shown and "Attività di Cremona" not in shown
    import io

    from reports.exporters import ActivitiesExporter

    out = io.BytesIO()
    ActivitiesExporter(_user("operatore_sesto"), {"format": "csv"}).render(out)
    body = out.getvalue().decode("utf-8-sig")
    assert "Attività di Sesto" in body and "Attività di Cremona" not in body


def test_dashboard_figures_equal_hand_computed_sums(login):
    Activity.objects.all().delete()
    cremona = Ambito.objects.get(slug="cremonese-casalasco")
    a = ActivityFactory(hours=Decimal("10"))
    BeneficiaryGroupFactory(activity=a, count=6)
    BeneficiaryGroupFactory(activity=a, count=5, sex="M")
    b = ActivityFactory(
        hours=Decimal("2.5"),
        kind="sessione_informativa",
        macro_azione=services.default_macro_azione("sessione_informativa"),
    )
    BeneficiaryGroupFactory(activity=b, count=9, beneficiary_type="adulto", age_band="30-54")
    c = ActivityFactory(ambito=cremona, hours=Decimal("4"))
    BeneficiaryGroupFactory(activity=c, count=7)

    context = login("coordinatore").get(reverse("admin:reports_dashboard")).context
    per_macro = {row["macro"].number: row for row in context["per_macro"]}
    assert (per_macro[1]["activities"], per_macro[1]["hours"], per_macro[1]["beneficiaries"]) == (2, Decimal("14"), 18)
    assert (per_macro[3]["activities"], per_macro[3]["hours"], per_macro[3]["beneficiaries"]) == (1, Decimal("2.5"), 9)
    assert context["totals"] == {"activities": 3, "hours": Decimal("16.5"), "beneficiaries": 27}
    rows = {(r["ambito__name"], r["macro_azione__number"]): r for r in context["rows"]}
    assert rows[(cremona.name, 1)]["beneficiaries"] == 7

    operator = login("operatore_sesto").get(reverse("admin:reports_dashboard")).context
    assert operator["totals"] == {"activities": 2, "hours": Decimal("12.5"), "beneficiaries": 20}


def test_dashboard_filters_by_province_and_period(login):
    Activity.objects.all().delete()
    ActivityFactory(start_date=datetime.date(2020, 1, 10), end_date=datetime.date(2020, 1, 10))
    ActivityFactory(start_date=datetime.date(2021, 6, 1), end_date=datetime.date(2021, 6, 1))
    ActivityFactory(ambito=Ambito.objects.get(slug="cremonese-casalasco"))
    client = login("coordinatore")
    url = reverse("admin:reports_dashboard")
    milano = Ambito.objects.get(slug="sesto-san-giovanni").provincia
    assert client.get(url, {"provincia": milano.pk}).context["totals"]["activities"] == 2
    assert client.get(url, {"start": "2021-01-01", "end": "2021-12-31"}).context["totals"]["activities"] == 2


def test_dashboard_rejects_a_backwards_period_with_a_message(login):
    response = login("coordinatore").get(
        reverse("admin:reports_dashboard"), {"start": "2021-05-01", "end": "2021-01-01"}
    )
    assert response.status_code == 200
    assert "La fine del periodo non può precedere" in response.content.decode()


def test_dashboard_bad_query_values_do_not_break_it(login):
    response = login("coordinatore").get(
        reverse("admin:reports_dashboard"), {"provincia": "abc", "ambito": "99999", "start": "x" * 500}
    )
    assert response.status_code == 200


def test_dashboard_shows_the_numbers_in_an_accessible_table_and_chart(login):
    html = login("coordinatore").get(reverse("admin:reports_dashboard")).content.decode()
    assert '<svg role="img"' in html and "<caption>" in html and 'scope="col"' in html


def test_translation_status_column_and_missing_language_filter(login):
    complete = Sportello.objects.get(slug="sportello-stranieri-sesto-demo")
    partial = SportelloFactory(name_it="Sportello solo italiano", name_en="Italian only desk")
    client = login("operatore_sesto")
    url = reverse("admin:services_sportello_changelist")
    html = client.get(url).content.decode()
    assert "2/10" in html  # Italian and English only
    missing_arabic = {s.pk for s in client.get(url, {"manca_lingua": "ar"}).context["cl"].result_list}
    assert partial.pk in missing_arabic
    for code, _name in [("ar", ""), ("fr", "")]:
        setattr(complete, f"name_{code}", complete.name_it)
    assert Sportello.objects.filter(pk=partial.pk).exists()


def test_untranslated_content_page_counts_per_ambito_and_language(login):
    SportelloFactory(name_it="Da tradurre", description_it="Testo")
    response = login("coordinatore").get(reverse("admin:reports_translations"))
    codes = [code for code, _name in response.context["languages"]]
    sesto = [row for row in response.context["rows"] if row["ambito"] and row["ambito"].slug == "sesto-san-giovanni"]
    assert sum(row["cells"][codes.index("ar")]["count"] for row in sesto) >= 1
    cremona_only = login("operatore_cremona").get(reverse("admin:reports_translations")).context["rows"]
    assert {row["ambito"].slug for row in cremona_only} <= {"cremonese-casalasco"}


def test_activity_changelist_query_count_does_not_grow_with_rows(login, django_assert_max_num_queries):
    client = login("coordinatore")
    url = reverse("admin:reports_activity_changelist")
    client.get(url)
    for activity in ActivityFactory.create_batch(40):
        BeneficiaryGroupFactory(activity=activity)
    # 16: the page itself plus one query per record-based role when the user's grants are
    # resolved (mediator, social worker, legal consultant, association representative).
    with django_assert_max_num_queries(16):
        client.get(url)


def test_deletion_is_kept_in_history(login, coordinatore):
    lab = ActivityFactory()
    login("coordinatore").post(reverse("admin:reports_activity_delete", args=[lab.pk]), {"post": "yes"})
    assert not Activity.objects.filter(pk=lab.pk).exists()
    deleted = Activity.history.filter(id=lab.pk, history_type="-").get()
    assert deleted.history_user == coordinatore
    history = login("coordinatore").get(reverse("admin:reports_activity_history", args=[lab.pk]))
    assert history.status_code == 200


def test_repeated_wrong_passwords_lock_the_account_out(client, settings):
    url = reverse("admin:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "operatore_sesto", "password": "sbagliata"})
    response = client.post(url, {"username": "operatore_sesto", "password": "labimpact-demo"})
    assert response.status_code == 429


def test_admin_index_offers_the_dashboard_only_to_who_can_open_it(login):
    assert "labimpact-tools" in login("operatore_sesto").get(reverse("admin:index")).content.decode()
    assert "labimpact-tools" not in login("mediatrice").get(reverse("admin:index")).content.decode()
