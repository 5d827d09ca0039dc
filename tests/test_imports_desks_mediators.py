"""Imports of desks and of the mediator register: messy spreadsheets, row errors, one atomic write, scope."""

import csv
import io
from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from mediation.models import Mediator
from reports.importers import read_table
from reports.importers_directory import MediatorImporter, SportelloImporter, parse_slots
from services.models import Sportello
from territories.models import Ambito
from tests.factories import MediatorFactory, SportelloFactory

pytestmark = pytest.mark.django_db

DESK_HEADER = "Nome;Indirizzo;Comune;Telefono;Orari;Servizi offerti;Lingue parlate;Latitudine;Longitudine"
DESK_ROWS = [
    DESK_HEADER.split(";"),
    [
        "Sportello Stranieri Cremona (test) ",
        "Via Dante 1 ",
        "cremona ",
        "0372 000000",
        "lun-ven 9-12; mer 14:30-17",
        "Permesso di soggiorno, lavoro",
        "arabo / Francese ",
        "45,1333",
        "10,0227",
    ],
    [
        "Sportello di Casalmaggiore (test)",
        "Piazza Garibaldi 2",
        "CASALMAGGIORE",
        "",
        "giovedì 9.00-12.30",
        "casa",
        "inglese",
        "",
        "",
    ],
]


def _csv(rows, delimiter=";"):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue()


DESKS = _csv(DESK_ROWS)
MEDIATOR_HEADER = "Nome;Cognome;Email;Lingue;Titoli e qualifiche;Disponibile"
MEDIATORS = (
    f"{MEDIATOR_HEADER}\r\n"
    "Amira ;Haddad (test);AMIRA.HADDAD@example.invalid ;arabo, francese;Laurea in mediazione;sì\r\n"
    "Olena;Kovalenko (test);;ucraino|russo;;no\r\n"
)


def _upload(text, encoding="utf-8-sig", name="file.csv"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def _desks():
    return Sportello.objects.filter(name_it__endswith="(test)")


def _mediators():
    return Mediator.objects.filter(last_name__endswith="(test)")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_desks_read_as_spreadsheets_come(operatore_cremona, encoding, delimiter):
    text = _csv(DESK_ROWS, delimiter)
    report = SportelloImporter(operatore_cremona).write(read_table(_upload(text, encoding)))
    assert report.ok, report.errors
    assert report.new == 2
    desk = _desks().get(name_it__startswith="Sportello Stranieri")
    assert (desk.ambito.slug, desk.comune.name, desk.address) == ("cremonese-casalasco", "Cremona", "Via Dante 1")
    assert str(desk.latitude) == "45.133300"
    assert sorted(desk.categories.values_list("key", flat=True)) == ["lavoro", "permesso-soggiorno"]
    assert sorted(desk.languages.values_list("code", flat=True)) == ["ar", "fr"]
    slots = sorted((s.weekday, s.opens, s.closes) for s in desk.slots.all())
    assert slots == sorted([(d, time(9), time(12)) for d in range(5)] + [(2, time(14, 30), time(17))])
    other = _desks().get(name_it__startswith="Sportello di Casalmaggiore")
    assert [(s.weekday, s.opens, s.closes) for s in other.slots.all()] == [(3, time(9), time(12, 30))]
    assert desk.slug and desk.slug != other.slug


def test_desk_reimport_updates_never_duplicates(operatore_cremona):
    rows = read_table(_upload(DESKS))
    assert SportelloImporter(operatore_cremona).write(rows).new == 2
    again = SportelloImporter(operatore_cremona).dry_run(read_table(_upload(DESKS)))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    changed = DESKS.replace("giovedì 9.00-12.30", "giovedì 9-11").replace("casa;inglese", "casa;")
    report = SportelloImporter(operatore_cremona).write(read_table(_upload(changed)))
    assert (report.new, report.updated, report.unchanged) == (0, 1, 1)
    assert _desks().count() == 2
    other = _desks().get(name_it__startswith="Sportello di Casalmaggiore")
    assert [(s.opens, s.closes) for s in other.slots.all()] == [(time(9), time(11))]
    assert other.languages.count() == 0


def test_desk_errors_name_row_and_column_and_write_nothing(operatore_cremona):
    text = (
        f"{DESK_HEADER}\r\n"
        "Uno (test);Via 1;Cremna;;lun 9-12;lavoro;arabo;;\r\n"
        "Due (test);Via 2;Cremona;;lunedi alle nove;lavoro;klingon;;\r\n"
        "Tre (test);Via 3;Cremona;;mar 12-9;astronautica;;45,1;\r\n"
        "Quattro (test);Via 4;Cremona;;;;;;\r\n"
    )
    report = SportelloImporter(operatore_cremona).write(read_table(_upload(text)))
    found = [(e.row, e.column) for e in report.errors]
    assert (2, "Comune") in found
    assert (3, "Orari") in found and (3, "Lingue parlate") in found
    assert (4, "Orari") in found and (4, "Servizi offerti") in found
    assert (5, "Servizi offerti") in found
    messages = " ".join(e.message for e in report.errors)
    assert "Cremna" in messages and "«klingon»" in messages and "lun-ven 9-12" in messages
    assert not _desks().exists()


def test_desk_import_stays_in_the_operator_ambito(operatore_cremona, coordinatore):
    foreign = SportelloFactory(name="Sportello altrui (test)")  # Sesto's
    text = "Ambito;Nome;Indirizzo;Comune;Servizi offerti\r\n" + (
        "Sesto San Giovanni e Cologno Monzese;Sportello nuovo (test);Via 1;Sesto San Giovanni;lavoro\r\n"
    )
    report = SportelloImporter(operatore_cremona).write(read_table(_upload(text)))
    assert [(e.row, e.column) for e in report.errors] == [(2, "Ambito")]
    assert "tuo ambito" in report.errors[0].message
    # The same name as another ambito's desk: not found (not visible), and refused.
    text = "Ambito;Nome;Indirizzo;Comune;Servizi offerti\r\n" + (
        f"Sesto San Giovanni e Cologno Monzese;{foreign.name_it};Via Nuova;Sesto San Giovanni;lavoro\r\n"
    )
    assert not SportelloImporter(operatore_cremona).write(read_table(_upload(text))).ok
    foreign.refresh_from_db()
    assert foreign.address == "Via Roma 1"
    assert list(_desks()) == [foreign]


def test_mediators_import_and_reimport(operatore_cremona):
    report = MediatorImporter(operatore_cremona).write(read_table(_upload(MEDIATORS, "cp1252")))
    assert report.ok, report.errors
    amira = _mediators().get(first_name="Amira")
    assert amira.email == "amira.haddad@example.invalid"
    assert [a.slug for a in amira.ambiti.all()] == ["cremonese-casalasco"]
    assert sorted(amira.languages.values_list("code", flat=True)) == ["ar", "fr"]
    olena = _mediators().get(first_name="Olena")
    assert olena.is_available is False
    assert sorted(olena.languages.values_list("code", flat=True)) == ["ru", "uk"]
    again = MediatorImporter(operatore_cremona).write(read_table(_upload(MEDIATORS)))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    # Olena's e-mail arrives later: the same person, updated.
    later = MEDIATORS.replace("Olena;Kovalenko (test);;", "Olena;Kovalenko (test);olena@example.invalid;")
    report = MediatorImporter(operatore_cremona).write(read_table(_upload(later)))
    assert (report.new, report.updated, report.unchanged) == (0, 1, 1)
    assert _mediators().count() == 2


def test_mediator_errors_and_repeated_rows(operatore_cremona):
    text = (
        f"{MEDIATOR_HEADER}\r\n"
        "Ana;Uno (test);ana@example.invalid;klingon;;forse\r\n"
        "Bea;Due (test);non-una-email;arabo;;\r\n"
        "Ana;Altra (test);ANA@example.invalid;arabo;;\r\n"
    )
    report = MediatorImporter(operatore_cremona).write(read_table(_upload(text)))
    found = [(e.row, e.column) for e in report.errors]
    assert (2, "Lingue") in found and (2, "Disponibile") in found
    assert (3, "Email") in found
    assert (4, "Email") in found
    assert not _mediators().exists()


def test_mediator_import_never_links_another_ambito(operatore_cremona):
    text = "Nome;Cognome;Lingue;Ambiti\r\nAna;Fuori (test);arabo;Sesto San Giovanni e Cologno Monzese\r\n"
    report = MediatorImporter(operatore_cremona).write(read_table(_upload(text)))
    assert [(e.row, e.column) for e in report.errors] == [(2, "Ambiti")]
    assert not _mediators().exists()
    # Someone of another ambito with the same name is not touched (nor seen).
    sesto = Ambito.objects.get(slug="sesto-san-giovanni")
    other = MediatorFactory(first_name="Ana", last_name="Fuori (test)", ambiti=[sesto])
    text = "Nome;Cognome;Lingue\r\nAna;Fuori (test);arabo\r\n"
    report = MediatorImporter(operatore_cremona).write(read_table(_upload(text)))
    assert report.ok and report.new == 1
    assert list(other.ambiti.all()) == [sesto]


def test_mediator_xlsx_through_the_admin_pages(login):
    book = Workbook()
    ws = book.active
    ws.append(["NOME", "cognome ", "E-mail", "lingue parlate", "Ambito"])
    ws.append(["Leila", "Xlsx (test)", None, "Arabo", "Cremonese e Casalasco"])
    out = io.BytesIO()
    book.save(out)
    client = login("coordinatore")
    url = reverse("admin:reports_import", args=["mediatori"])
    response = client.post(url, {"file": SimpleUploadedFile("m.xlsx", out.getvalue())})
    assert response.context["report"].ok, response.context["report"].errors
    assert not _mediators().exists(), "the dry run writes nothing"
    assert client.post(url, {"token": response.context["token"]}).status_code == 302
    assert _mediators().get().ambiti.get().slug == "cremonese-casalasco"


def test_desk_and_mediator_pages_follow_the_permission_table(login):
    assert login("referente_scuola").get(reverse("admin:reports_import", args=["sportelli"])).status_code == 403
    client = login("operatore_sesto")
    assert client.get(reverse("admin:reports_import", args=["sportelli"])).status_code == 200
    template = client.get(reverse("admin:reports_import_template", args=["mediatori"]))
    assert template.content.decode("utf-8").startswith("\ufeffNome;Cognome;Email;Telefono;Lingue")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("lun 9-12", ((0, time(9), time(12)),)),
        ("Lunedì e mercoledì 9.00-12.30", ((0, time(9), time(12, 30)), (2, time(9), time(12, 30)))),
        ("sab 9-12, 14-16", ((5, time(9), time(12)), (5, time(14), time(16)))),
        ("gio 9:00 - 12:00\nven 15-18", ((3, time(9), time(12)), (4, time(15), time(18)))),
    ],
)
def test_weekly_hours_are_read_as_people_write_them(text, expected):
    assert parse_slots(text) == expected


@pytest.mark.parametrize("text", ["lun", "9-12", "lun 12-9", "lun 25-26", "festivi 9-12", "ven-lun 9-12"])
def test_unreadable_hours_are_refused(text):
    with pytest.raises(ValueError):
        parse_slots(text)


@pytest.mark.parametrize(
    "persona,changelist,importer,shown",
    [
        ("operatore_sesto", "admin:services_sportello_changelist", "sportelli", True),
        ("operatore_cremona", "admin:mediation_mediator_changelist", "mediatori", True),
        ("coordinatore", "admin:reports_activity_changelist", "attivita", True),
        ("mediatrice", "admin:mediation_mediator_changelist", "mediatori", False),  # edits her own record only
    ],
)
def test_changelists_offer_their_import_only_to_who_may_use_it(login, persona, changelist, importer, shown):
    client = login(persona)
    response = client.get(reverse(changelist))
    assert response.status_code == 200
    url = reverse("admin:reports_import", args=[importer])
    assert (f'href="{url}"' in response.content.decode()) is shown
    assert client.get(url).status_code == (200 if shown else 403)
