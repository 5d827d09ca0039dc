"""Imports with a dry run: messy real spreadsheets, every error with row and column, one atomic write."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from reports.importers import ActivityImporter, ImportFileError, SchoolImporter, read_table
from reports.models import Activity
from schools.models import School

pytestmark = pytest.mark.django_db

LAST_YEAR = date.today().year - 1
HEADER = "Tipo di attività;Titolo;Data di inizio;Data di fine;Ore;Luogo;Comune"


def _rows(n=8, bad=()):
    """Last year's labs of the Cremona ambito; `bad` row indexes carry one mistake each."""
    lines = [HEADER]
    for i in range(n):
        day = f"{(i % 27) + 1:02d}/03/{LAST_YEAR}"
        comune, hours = "Cremona ", "2,5"
        if i == 1:
            comune = "casalmaggiore"
        if i in bad:
            if bad.index(i) == 0:
                day = f"31/02/{LAST_YEAR}"
            elif bad.index(i) == 1:
                comune = "Cremna"
            else:
                hours = "due"
        lines.append(
            f"Laboratorio di italiano L2;Laboratorio L2 n. {i + 1} (test);{day};{day};{hours};Biblioteca;{comune}"
        )
    return "\r\n".join(lines) + "\r\n"


def _upload(text, encoding="utf-8-sig", name="attivita.csv"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def _titles():
    return set(Activity.objects.filter(title__endswith="(test)").values_list("title", flat=True))


def test_operator_cremona_fixes_three_bad_rows_then_imports(login, operatore_cremona):
    """Done when: operatore_cremona imports last year's spreadsheet after fixing the rows the dry run showed."""
    client = login("operatore_cremona")
    url = reverse("admin:reports_import", args=["attivita"])
    assert client.get(url).status_code == 200

    response = client.post(url, {"file": _upload(_rows(bad=(2, 4, 6)), encoding="cp1252")})
    report = response.context["report"]
    assert [(e.row, e.column) for e in report.errors] == [
        (4, "Data di inizio"),
        (4, "Data di fine"),
        (6, "Comune"),
        (8, "Ore"),
    ]
    assert "gg/mm/aaaa" in report.errors[0].message
    assert "Cremna" in report.errors[2].message
    assert "token" not in response.context
    assert _titles() == set()

    response = client.post(url, {"file": _upload(_rows(), encoding="cp1252")})
    assert response.context["report"].ok and response.context["report"].new == 8
    assert _titles() == set(), "the dry run writes nothing"
    response = client.post(url, {"token": response.context["token"]})
    assert response.status_code == 302
    assert len(_titles()) == 8
    activity = Activity.objects.get(title="Laboratorio L2 n. 2 (test)")
    assert (activity.ambito.slug, activity.comune.name, activity.hours) == (
        "cremonese-casalasco",
        "Casalmaggiore",
        Decimal("2.5"),
    )
    assert activity.macro_azione.number == 1

    # The same file again: everything is found on its natural key, nothing duplicated.
    response = client.post(url, {"file": _upload(_rows(), encoding="cp1252")})
    report = response.context["report"]
    assert (report.new, report.updated, report.unchanged) == (0, 0, 8)
    client.post(url, {"token": response.context["token"]})
    assert Activity.objects.filter(title__endswith="(test)").count() == 8


@pytest.mark.parametrize(
    "encoding,delimiter",
    [("utf-8", ";"), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8-sig", ","), ("cp1252", ",")],
)
def test_reads_csv_as_spreadsheets_come(operatore_cremona, encoding, delimiter):
    text = _rows(3)
    if delimiter == ",":
        text = "\r\n".join(
            ",".join(f'"{cell}"' if "," in cell else cell for cell in line.split(";")) for line in text.splitlines()
        )
    rows = read_table(_upload(text, encoding))
    assert rows[0][0] == "Tipo di attività"
    assert rows[1][4] == "2,5" and rows[1][6] == "Cremona"
    assert ActivityImporter(operatore_cremona).dry_run(rows).ok


def test_reads_xlsx_with_real_dates_numbers_and_loose_headers(operatore_cremona):
    book = Workbook()
    ws = book.active
    ws.append(["  TIPO DI ATTIVITA ", "titolo", "Data inizio", "data fine", "ore", "comune"])
    ws.append(
        ["laboratorio_l2", "Lab xlsx (test)", date(LAST_YEAR, 5, 4), date(LAST_YEAR, 5, 4), 1.5, "SAN DANIELE PO"]
    )
    ws.append([None, None, None, None, None, None])
    out = io.BytesIO()
    book.save(out)
    rows = read_table(SimpleUploadedFile("x.xlsx", out.getvalue()))
    report = ActivityImporter(operatore_cremona).write(rows)
    assert report.ok, report.errors
    assert Activity.objects.get(title="Lab xlsx (test)").hours == Decimal("1.5")


def test_comuni_match_without_accents_and_apostrophes(coordinatore):
    text = (
        "Codice meccanografico;Denominazione;Ambito;Comune\n"
        "crIC99999z ;IC di prova (test);Cremonese e Casalasco;cremona\n"
        "MIIC99998Z;IC Cornate (test);Vimercate e Trezzo;cornate dadda\n"
    )
    report = SchoolImporter(coordinatore).write(read_table(_upload(text)))
    assert report.ok, report.errors
    assert School.objects.get(code="CRIC99999Z").comune.name == "Cremona"
    assert School.objects.get(code="MIIC99998Z").comune.name == "Cornate d'Adda"


def test_import_never_writes_outside_the_operator_ambito(operatore_cremona):
    text = (
        "Ambito;Tipo di attività;Titolo;Data di inizio;Data di fine;Ore\n"
        f"Cremonese e Casalasco;Laboratorio di italiano L2;Mio (test);01/03/{LAST_YEAR};01/03/{LAST_YEAR};2\n"
        f"Sesto San Giovanni e Cologno Monzese;Laboratorio di italiano L2;Altrui (test);01/03/{LAST_YEAR};"
        f"01/03/{LAST_YEAR};2\n"
    )
    report = ActivityImporter(operatore_cremona).write(read_table(_upload(text)))
    assert [(e.row, e.column) for e in report.errors] == [(3, "Ambito")]
    assert "tuo ambito" in report.errors[0].message
    assert _titles() == set()


def test_repeated_rows_in_one_file_are_refused(operatore_cremona):
    line = f"Laboratorio di italiano L2;Uguale (test);01/03/{LAST_YEAR};01/03/{LAST_YEAR};2;;Cremona"
    report = ActivityImporter(operatore_cremona).dry_run(read_table(_upload(f"{HEADER}\n{line}\n{line}\n")))
    assert [(e.row, e.column) for e in report.errors] == [(3, "Titolo")]
    assert "riga 2" in report.errors[0].message


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "vuoto"),
        (b"   \r\n ", "vuoto"),
        (b"Tipo di attivit\xc3\xa0;Titolo\r\n", "righe di dati"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "non è un CSV"),
        (b"PK\x03\x04broken zip", "Excel non si legge"),
        (b"Nome;Cognome\r\nMario;Rossi\r\n", "Mancano queste colonne"),
    ],
)
def test_broken_files_are_errors_and_write_nothing(login, content, message):
    client = login("operatore_cremona")
    url = reverse("admin:reports_import", args=["attivita"])
    before = Activity.objects.count()
    response = client.post(url, {"file": SimpleUploadedFile("file.csv", content)})
    assert response.status_code == 200
    errors = response.context["form"].errors.get("file") if content else response.context["form"].errors["file"]
    assert any(message in e for e in errors), errors
    assert Activity.objects.count() == before


def test_a_50_mb_file_is_refused_before_reading():
    with pytest.raises(ImportFileError, match="10 MB"):
        read_table(SimpleUploadedFile("big.csv", b"a;b\n" * (50 * 1024 * 1024 // 4)))


def test_tampered_or_foreign_confirmation_writes_nothing(login):
    client = login("operatore_cremona")
    url = reverse("admin:reports_import", args=["attivita"])
    response = client.post(url, {"token": "not-a-token"})
    assert response.status_code == 302 and _titles() == set()
    token = client.post(url, {"file": _upload(_rows(2))}).context["token"]
    other = login("operatore_sesto")
    assert other.post(url, {"token": token}).status_code == 403
    assert _titles() == set()


def test_import_pages_follow_the_permission_table(login):
    assert login("referente_scuola").get(reverse("admin:reports_import", args=["attivita"])).status_code == 403
    client = login("operatore_sesto")
    assert client.get(reverse("admin:reports_import", args=["nessuno"])).status_code == 404
    template = client.get(reverse("admin:reports_import_template", args=["attivita"]))
    assert template.content.decode("utf-8").startswith("\ufeffAmbito;Tipo di attività;Titolo")
