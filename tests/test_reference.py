from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from labimpact.reference import load_reference
from plan.models import MacroAzione, Plan
from services.models import ServiceCategory
from territories.models import Ambito, Comune, NetworkMembership, NetworkRole, Partner, Provincia

pytestmark = pytest.mark.django_db


def test_lombardy_has_12_provinces_and_1502_comuni():
    assert Provincia.objects.count() == 12
    assert Comune.objects.count() == 1502
    assert Provincia.objects.get(code="MI").is_metropolitan_city
    assert set(Provincia.objects.values_list("code", flat=True)) == {
        "VA",
        "CO",
        "SO",
        "MI",
        "BG",
        "BS",
        "PV",
        "CR",
        "MN",
        "LC",
        "LO",
        "MB",
    }


def test_comuni_keep_apostrophes_accents_and_codes():
    sant_angelo = Comune.objects.get(name="Sant'Angelo Lodigiano")
    assert (sant_angelo.istat_code, sant_angelo.cadastral_code, sant_angelo.provincia.code) == ("098050", "I274", "LO")
    assert Comune.objects.get(name="Cornate d'Adda").provincia.code == "MB"
    assert Comune.objects.filter(name="Cantù").exists()
    assert "20099" in Comune.objects.get(name="Sesto San Giovanni").postcode_list


def test_plan_has_four_macro_azioni_translated_in_every_language(settings):
    plan = Plan.objects.get(code="prog-2463")
    assert (plan.code, plan.act, plan.comuni_covered) == ("prog-2463", "DGR n. XI/533", 844)
    assert plan.budget_first_phase == Decimal("5203000") and plan.budget_total == Decimal("9250000")
    assert plan.macro_azioni.count() == 4
    for macro in MacroAzione.objects.all():
        for code, _name in settings.LANGUAGES:
            field = code.replace("-", "_")
            assert getattr(macro, f"title_{field}"), f"macro-azione {macro.number} has no {code} title"
            assert getattr(macro, f"description_{field}"), f"macro-azione {macro.number} has no {code} text"


def test_service_categories_cover_the_needs_of_the_design():
    keys = set(ServiceCategory.objects.values_list("key", flat=True))
    assert {
        "permesso-soggiorno",
        "ricongiungimento",
        "cittadinanza",
        "corsi-italiano",
        "salute",
        "iscrizione-scuola",
    } <= keys


def test_35_ambiti_with_unconfirmed_ones_flagged_demo():
    assert Ambito.objects.count() == 35
    assert Ambito.objects.filter(is_demo=False).count() >= 31
    for ambito in Ambito.objects.filter(is_demo=True):
        assert "confermare" in ambito.name


def test_sesto_ambito_matches_its_sources():
    sesto = Ambito.objects.get(slug="sesto-san-giovanni")
    assert sesto.capofila.name == "Comune di Sesto San Giovanni"
    assert sesto.budget == Decimal("133733")
    assert set(sesto.comuni.values_list("name", flat=True)) == {"Sesto San Giovanni", "Cologno Monzese"}
    assert sesto.memberships.filter(role=NetworkRole.SCUOLA).count() == 7


def test_offertasociale_coordinates_seregno_and_carate():
    vimercate = Ambito.objects.get(slug="vimercate-trezzo")
    assert vimercate.budget == Decimal("67555")
    assert set(vimercate.coordinates.values_list("slug", flat=True)) == {"seregno", "carate-brianza"}


def test_cremonese_network_has_its_15_members():
    cremonese = Ambito.objects.get(slug="cremonese-casalasco")
    assert cremonese.capofila.name == "Azienda Sociale Cremonese"
    assert cremonese.memberships.count() == 15


def test_lodi_budget_includes_the_later_addition():
    lodi = Ambito.objects.get(slug="lodi")
    assert (lodi.budget, lodi.budget_extra) == (Decimal("166872.06"), Decimal("129800.00"))
    assert lodi.total_budget == Decimal("296672.06")


def _counts():
    return (
        Provincia.objects.count(),
        Comune.objects.count(),
        Ambito.objects.count(),
        Partner.objects.count(),
        NetworkMembership.objects.count(),
        MacroAzione.objects.count(),
    )


def test_load_reference_twice_changes_nothing():
    before = _counts()
    call_command("load_reference", verbosity=0)
    assert _counts() == before


def test_load_reference_completes_a_half_loaded_database():
    before = _counts()
    # Simulate an interrupted earlier load: part of the comuni and ambiti are missing and
    # one comune has lost its ambito.
    NetworkMembership.objects.filter(ambito__slug="lodi").delete()
    Comune.objects.filter(provincia__code="SO").update(ambito=None)
    MacroAzione.objects.filter(plan__code="prog-2463", number=4).delete()
    Comune.objects.filter(provincia__code="MN", sportelli__isnull=True, schools__isnull=True).delete()
    load_reference()
    assert _counts() == before
    assert Comune.objects.get(name="Sondrio").ambito.slug == "sondrio-da-confermare"


def test_load_reference_rejects_bad_data_without_writing(tmp_path, monkeypatch):
    import json

    from labimpact import reference

    data = json.loads(reference.AMBITI_JSON.read_text(encoding="utf-8"))
    data["ambiti"][0]["comuni"].append("Atlantide")
    bad = tmp_path / "ambiti.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(reference, "AMBITI_JSON", bad)
    Ambito.objects.filter(slug="milano").update(notes="prima")
    with pytest.raises(CommandError, match="Atlantide"):
        call_command("load_reference", verbosity=0)
    assert Ambito.objects.get(slug="milano").notes == "prima"


def test_load_demo_refuses_when_debug_is_off():
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", verbosity=0)


def test_load_demo_twice_changes_nothing():
    from django.contrib.auth import get_user_model

    from mediation.models import Mediator
    from schools.models import School
    from services.models import Sportello

    def counts():
        return (
            get_user_model().objects.count(),
            Sportello.objects.count(),
            School.objects.count(),
            Mediator.objects.count(),
        )

    before = counts()
    with override_settings(DEBUG=True):
        call_command("load_demo", verbosity=0)
    assert counts() == before


def test_demo_records_are_labelled_demo():
    from mediation.models import Mediator
    from schools.models import School
    from services.models import Sportello

    for model in (Sportello, School, Mediator):
        # Schools named by a public source (schools/reference.py) are real data, not demo.
        rows = model.objects.filter(source="") if model is School else model.objects.all()
        for obj in rows:
            assert obj.is_demo and "(demo)" in str(obj)


def test_real_schools_carry_their_source_and_no_invented_code():
    from schools.models import School

    real = School.objects.exclude(source="")
    names = set(real.values_list("name", flat=True))
    for ic in ("Rovani", "Breda", "Dante Alighieri", "Martiri", "Frank", "Pascoli", "Marzabotto"):
        assert f"Istituto Comprensivo {ic}" in names
    assert real.filter(ambito__slug="cremonese-casalasco").count() == 5
    assert not real.filter(is_demo=True).exists()
    assert not real.exclude(code="").exists()  # no source gives their codes: left to confirm
