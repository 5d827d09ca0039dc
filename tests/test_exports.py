"""Exports as jobs: exporters, scope, Italian CSV, the FAMI workbook equal to the dashboard."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports import exporters, services
from reports.models import Activity, ExportJob, ExportStatus
from territories.models import Ambito
from tests.factories import ActivityFactory, BeneficiaryGroupFactory

pytestmark = pytest.mark.django_db


def _render(exporter_cls, user, **params):
    out = io.BytesIO()
    exporter_cls(user, params).render(out)
    return out.getvalue()


def _csv_rows(data: bytes):
    assert data.startswith(b"\xef\xbb\xbf"), "Italian Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def factory_data():
    """Activities in Sesto and Cremona across 2018–2022, with beneficiaries of every kind."""
    Activity.objects.all().delete()
    sesto = Ambito.objects.get(slug="sesto-san-giovanni")
    cremona = Ambito.objects.get(slug="cremonese-casalasco")
    a = ActivityFactory(ambito=sesto, start_date=date(2019, 3, 4), end_date=date(2019, 3, 8), hours=Decimal("10.5"))
    BeneficiaryGroupFactory(activity=a, sex="F", age_band="11-13", nationality_group="nord_africa", count=6)
    BeneficiaryGroupFactory(activity=a, sex="M", age_band="11-13", nationality_group="asia", count=5)
    b = ActivityFactory(
        ambito=sesto,
        start_date=date(2021, 5, 3),
        end_date=date(2021, 5, 3),
        hours=Decimal("2"),
        kind="sessione_informativa",
        macro_azione=services.default_macro_azione("sessione_informativa", day=date(2021, 5, 3)),
    )
    BeneficiaryGroupFactory(activity=b, sex="F", age_band="30-54", beneficiary_type="adulto", count=9)
    c = ActivityFactory(ambito=cremona, start_date=date(2020, 10, 1), end_date=date(2020, 10, 2), hours=Decimal("4"))
    BeneficiaryGroupFactory(activity=c, sex="X", age_band="6-10", nationality_group="americhe", count=7)
    # Outside 2019–2021: must not be counted.
    d = ActivityFactory(ambito=cremona, start_date=date(2022, 2, 1), end_date=date(2022, 2, 1), hours=Decimal("3"))
    BeneficiaryGroupFactory(activity=d, count=100)
    return {"sesto": sesto, "cremona": cremona}


def test_activities_csv_is_italian_excel_ready(coordinatore, factory_data):
    rows = _csv_rows(_render(exporters.ActivitiesExporter, coordinatore, format="csv"))
    header = rows[0]
    assert header[:9] == [
        "ID",
        "Ambito",
        "Provincia",
        "Macro-azione",
        "Tipo di attività",
        "Titolo",
        "Data di inizio",
        "Data di fine",
        "Ore",
    ]
    assert "Femmine" in header and "Alunno" in header
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert len(by_id) == 4
    row = next(r for r in by_id.values() if r["Data di inizio"] == "04/03/2019")
    assert row["Ore"] == "10,5"
    assert row["Tipo di attività"] == "Laboratorio di italiano L2"
    assert row["Macro-azione"].startswith("1. ")
    assert (row["Beneficiari"], row["Femmine"], row["Maschi"]) == ("11", "6", "5")


def test_activities_export_costs_the_same_queries_for_many_rows(
    coordinatore, factory_data, django_assert_max_num_queries
):
    for _ in range(30):
        BeneficiaryGroupFactory(activity=ActivityFactory(ambito=factory_data["sesto"]), count=2)
    # 8: the rows in one query, the rest is resolving the user's grants once (one query per
    # record-based role) — constant, whatever the number of rows.
    with django_assert_max_num_queries(8):
        _render(exporters.ActivitiesExporter, coordinatore, format="csv")


def test_activities_xlsx_has_dates_and_numbers(coordinatore, factory_data):
    data = _render(exporters.ActivitiesExporter, coordinatore, format="xlsx", start="2019-01-01", end="2019-12-31")
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.values)
    assert rows[0][1] == "Ambito"
    assert len(rows) == 2
    assert rows[1][6].date() == date(2019, 3, 4)
    assert rows[1][8] == 10.5


def test_every_export_narrows_to_the_operator_ambito(operatore_sesto, factory_data):
    rows = _csv_rows(_render(exporters.ActivitiesExporter, operatore_sesto, format="csv"))
    assert {r[1] for r in rows[1:]} == {"Sesto San Giovanni e Cologno Monzese"}
    # Asking for another ambito by id gives nothing, not its rows.
    rows = _csv_rows(
        _render(exporters.ActivitiesExporter, operatore_sesto, format="csv", ambito=factory_data["cremona"].pk)
    )
    assert rows[1:] == []
    desks = _csv_rows(_render(exporters.DesksExporter, operatore_sesto, format="csv"))
    assert {r[0] for r in desks[1:]} == {"Sesto San Giovanni e Cologno Monzese"}
    budgets = _csv_rows(_render(exporters.BudgetsExporter, operatore_sesto, format="csv"))
    assert [r[0] for r in budgets[1:]] == ["Sesto San Giovanni e Cologno Monzese"]
    book = load_workbook(io.BytesIO(_render(exporters.FamiWorkbookExporter, operatore_sesto)))
    ambiti = {r[0] for r in book["Macro-azione 1"].iter_rows(min_row=3, values_only=True)}
    assert ambiti == {"Sesto San Giovanni e Cologno Monzese"}


def test_budgets_list_all_35_ambiti_in_natural_order(coordinatore):
    rows = _csv_rows(_render(exporters.BudgetsExporter, coordinatore, format="csv"))
    names = [r[0] for r in rows[1:]]
    assert len(names) == 35
    from common.text import natural_key

    assert names == sorted(names, key=natural_key)
    lodi = next(r for r in rows if r[0] == "Lodi")
    assert lodi[3] == "166872,06"


def test_mediator_register_is_for_the_coordinator_only(login, coordinatore, operatore_sesto):
    assert exporters.MediatorsExporter in exporters.available(coordinatore)
    assert exporters.MediatorsExporter not in exporters.available(operatore_sesto)
    url = reverse("admin:reports_exportjob_request", args=["mediatori"])
    assert login("operatore_sesto").get(url).status_code == 403
    rows = _csv_rows(_render(exporters.MediatorsExporter, coordinatore, format="csv"))
    assert rows[0][:2] == ["Cognome", "Nome"] and len(rows) > 1


def test_fami_workbook_for_2019_2021_equals_the_dashboard(login, coordinatore, factory_data):
    """Golden test: values read back from the workbook match the dashboard for the same filters."""
    data = _render(exporters.FamiWorkbookExporter, coordinatore, start="2019-01-01", end="2021-12-31")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames[:5] == ["Riepilogo", "Macro-azione 1", "Macro-azione 2", "Macro-azione 3", "Macro-azione 4"]
    assert "Sportelli" in book.sheetnames

    summary = list(book["Riepilogo"].values)
    macro_rows = {row[0][:1]: row[1:4] for row in summary[5:9]}
    dashboard = (
        login("coordinatore")
        .get(reverse("admin:reports_dashboard"), {"start": "2019-01-01", "end": "2021-12-31"})
        .context
    )
    for bucket in dashboard["per_macro"]:
        assert macro_rows[str(bucket["macro"].number)] == (
            bucket["activities"],
            float(bucket["hours"]),
            bucket["beneficiaries"],
        )
    total = summary[9]
    assert total[0] == "Totale" and total[1:4] == (3, 16.5, 27)
    assert (dashboard["totals"]["activities"], dashboard["totals"]["beneficiaries"]) == (3, 27)

    # Every ambito is listed, also at zero, in the summary and in each macro-azione sheet.
    per_ambito = {row[0]: row[2:5] for row in summary[12:] if row[0]}
    assert len(per_ambito) == 35
    assert per_ambito["Sesto San Giovanni e Cologno Monzese"] == (2, 12.5, 20)
    assert per_ambito["Lodi"] == (0, 0, 0)

    sheet = list(book["Macro-azione 1"].values)
    header = sheet[1]
    assert header[:6] == ("Ambito", "Provincia", "Anno", "Attività", "Ore", "Beneficiari")
    assert len(sheet) == 2 + 35 * 3
    rows = {(r[0], r[2]): dict(zip(header, r, strict=True)) for r in sheet[2:]}
    sesto_2019 = rows[("Sesto San Giovanni e Cologno Monzese", 2019)]
    assert (sesto_2019["Attività"], sesto_2019["Ore"], sesto_2019["Beneficiari"]) == (1, 10.5, 11)
    assert (sesto_2019["Femmine"], sesto_2019["Maschi"], sesto_2019["11-13"]) == (6, 5, 11)
    assert (sesto_2019["Nord Africa"], sesto_2019["Asia"], sesto_2019["Alunno"]) == (6, 5, 11)
    cremona_2020 = rows[("Cremonese e Casalasco", 2020)]
    assert (cremona_2020["Beneficiari"], cremona_2020["Non indicato"], cremona_2020["Americhe"]) == (7, 7, 7)
    assert rows[("Cremonese e Casalasco", 2021)]["Beneficiari"] == 0
    sheet3 = {(r[0], r[2]): r for r in list(book["Macro-azione 3"].values)[2:]}
    assert sheet3[("Sesto San Giovanni e Cologno Monzese", 2021)][3:6] == (1, 2, 9)


def test_workbook_shows_a_registered_section_only_when_it_has_data(coordinatore, factory_data):
    section = exporters.WorkbookSection(
        title=lambda: "Sezione di prova",
        has_data=lambda exporter: exporter.filters.ambito is None,
        write=lambda exporter, table: table.row(["tempo medio di attivazione", 3]),
    )
    exporters.register_workbook_section(section)
    try:
        book = load_workbook(io.BytesIO(_render(exporters.FamiWorkbookExporter, coordinatore)))
        assert list(book["Sezione di prova"].values) == [("tempo medio di attivazione", 3)]
        only = _render(exporters.FamiWorkbookExporter, coordinatore, ambito=factory_data["sesto"].pk)
        assert "Sezione di prova" not in load_workbook(io.BytesIO(only)).sheetnames
    finally:
        exporters.WORKBOOK_SECTIONS.remove(section)


def test_coordinator_downloads_workbook_and_csv_through_jobs(
    login, coordinatore, factory_data, django_capture_on_commit_callbacks
):
    """Done when: coordinatore downloads the FAMI workbook for 2019–2021 and an Italian-Excel CSV."""
    client = login("coordinatore")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:reports_exportjob_request", args=["fami"]),
            {"format": "xlsx", "start": "2019-01-01", "end": "2021-12-31"},
        )
    job = ExportJob.objects.get(user=coordinatore, exporter="fami")
    assert response.status_code == 302 and response.url == reverse("admin:reports_exportjob_status", args=[job.pk])
    assert job.status == ExportStatus.DONE and job.progress == 100
    status = client.get(response.url)
    assert b"Scarica il file" in status.content and b"export-status.js" not in status.content
    download = client.get(reverse("admin:reports_exportjob_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == exporters.XLSX
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book["Riepilogo"]["D10"].value == 27
    assert len(mail.outbox) == 1 and str(job.pk) in mail.outbox[0].body
    assert mail.outbox[0].to == [coordinatore.email]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:reports_exportjob_request", args=["attivita"]), {"format": "csv"})
    job = ExportJob.objects.get(user=coordinatore, exporter="attivita")
    download = client.get(reverse("admin:reports_exportjob_download", args=[job.pk]))
    rows = _csv_rows(b"".join(download.streaming_content))
    assert rows[0][1] == "Ambito" and len(rows) == 5
    assert job.filename.endswith(".csv")


def test_jobs_are_their_requesters_own(login, coordinatore, factory_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_job_create(exporter="budget", params={"format": "csv"}, by=coordinatore)
    job.refresh_from_db()
    assert job.is_downloadable
    other = login("operatore_sesto")
    assert other.get(reverse("admin:reports_exportjob_download", args=[job.pk])).status_code == 404
    assert other.get(reverse("admin:reports_exportjob_status", args=[job.pk])).status_code == 404
    listed = other.get(reverse("admin:reports_exportjob_changelist")).context["cl"].result_list
    assert job not in listed


def test_expired_download_is_gone_and_purged(login, coordinatore, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_job_create(exporter="budget", params={"format": "csv"}, by=coordinatore)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client = login("coordinatore")
    assert client.get(reverse("admin:reports_exportjob_download", args=[job.pk])).status_code == 410
    assert services.export_job_purge() == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED and not job.file


def test_bad_export_requests_are_form_errors_not_jobs(login):
    client = login("coordinatore")
    url = reverse("admin:reports_exportjob_request", args=["attivita"])
    response = client.post(url, {"format": "pdf", "start": "2021-12-31", "end": "2019-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors
    response = client.post(url, {"format": "csv", "start": "2021-12-31", "end": "2019-01-01"})
    assert response.context["form"].non_field_errors() == ["La fine del periodo non può precedere l'inizio."]
    assert client.get(reverse("admin:reports_exportjob_request", args=["nessuno"])).status_code == 404
    assert not ExportJob.objects.exists()


def test_export_pages_are_italian_and_have_no_inline_handlers(login):
    client = login("operatore_sesto")
    choose = client.get(reverse("admin:reports_exportjob_choose")).content.decode()
    assert "Cartella degli indicatori FAMI" in choose and "Registro dei mediatori" not in choose
    form = client.get(reverse("admin:reports_exportjob_request", args=["attivita"])).content.decode()
    assert "onclick" not in form and "Esporta" in form
    assert login("referente_scuola").get(reverse("admin:reports_exportjob_choose")).status_code == 403


def test_status_page_of_a_queued_job_polls_its_progress(login, coordinatore):
    job = services.export_job_create(exporter="budget", params={"format": "csv"}, by=coordinatore)
    client = login("coordinatore")
    page = client.get(reverse("admin:reports_exportjob_status", args=[job.pk])).content.decode()
    assert "export-status.js" in page and "Aggiorna" in page and "<script>" not in page
    status = client.get(reverse("admin:reports_exportjob_status", args=[job.pk]), {"json": "1"}).json()
    assert status == {"status": "queued", "label": "In coda", "progress": 0, "running": True}
