"""Large imports run as jobs (dry run, confirmation, write) with progress; the bulk write keeps the service's rules."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ops.models import OutboxMessage
from reports import services
from reports.importers import ActivityImporter, read_table
from reports.models import Activity, ImportJob, ImportStatus
from reports.tasks import import_run
from territories.models import Ambito
from tests.factories import ActivityFactory, SchoolFactory

pytestmark = pytest.mark.django_db

LAST_YEAR = date.today().year - 1
HEADER = "Tipo di attività;Titolo;Data di inizio;Data di fine;Ore;Luogo;Comune;Codice scuola"


def _line(i, *, day=None, hours="2,5", comune="Cremona", school=""):
    day = day or f"{(i % 27) + 1:02d}/04/{LAST_YEAR}"
    return f"Laboratorio di italiano L2;Corso {i} (job);{day};{day};{hours};Biblioteca;{comune};{school}"


def _file(lines):
    return SimpleUploadedFile("grande.csv", ("\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-8-sig"))


def _titles():
    return Activity.objects.filter(title__endswith="(job)")


@pytest.fixture
def small_threshold(settings):
    settings.IMPORT_JOB_ROWS = 5


def _run_queued(job):
    """What the worker does: the task for the job queued in the outbox (run here, eagerly)."""
    message = OutboxMessage.objects.filter(task="reports.tasks.import_run", args=[str(job.pk)]).first()
    assert message is not None, "the job is queued through the outbox"
    message.delete()
    import_run(str(job.pk))
    job.refresh_from_db()
    return job


def test_large_file_is_checked_by_a_job_then_written_after_confirmation(login, operatore_cremona, small_threshold):
    client = login("operatore_cremona")
    url = reverse("admin:reports_import", args=["attivita"])
    response = client.post(url, {"file": _file([_line(i) for i in range(12)])})
    job = ImportJob.objects.get(user=operatore_cremona)
    assert response.status_code == 302 and response.url == reverse("admin:reports_importjob_status", args=[job.pk])
    assert (job.status, job.rows, job.confirmed) == (ImportStatus.QUEUED, 12, False)
    status = client.get(response.url + "?json=1").json()
    assert status["running"] is True and status["label"] == "In coda"

    job = _run_queued(job)
    assert (job.status, job.progress, job.new) == (ImportStatus.CHECKED, 100, 12)
    assert not _titles().exists(), "the dry run writes nothing"
    page = client.get(reverse("admin:reports_importjob_status", args=[job.pk]))
    assert "Conferma l’importazione" in page.content.decode()

    assert client.post(reverse("admin:reports_importjob_status", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert (job.status, job.confirmed) == (ImportStatus.QUEUED, True)
    job = _run_queued(job)
    assert (job.status, job.new) == (ImportStatus.DONE, 12)
    assert _titles().count() == 12
    assert not job.file, "the uploaded file goes once written"
    assert import_run(str(job.pk)) is None and _titles().count() == 12, "running a finished job again does nothing"


def test_job_with_errors_reports_rows_and_cannot_be_confirmed(login, operatore_cremona, small_threshold):
    client = login("operatore_cremona")
    lines = [_line(i) for i in range(8)]
    lines[3] = _line(3, hours="tre")
    lines[5] = _line(5, comune="Cremna")
    client.post(reverse("admin:reports_import", args=["attivita"]), {"file": _file(lines)})
    job = _run_queued(ImportJob.objects.get(user=operatore_cremona))
    assert job.status == ImportStatus.INVALID and job.error_count == 2
    assert [(row, column) for row, column, _message in job.errors] == [(5, "Ore"), (7, "Comune")]
    page = client.get(reverse("admin:reports_importjob_status", args=[job.pk])).content.decode()
    assert "Cremna" in page and "Conferma" not in page
    client.post(reverse("admin:reports_importjob_status", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID and not job.confirmed
    assert not _titles().exists()


def test_jobs_are_their_owner_s_only(login, operatore_cremona, small_threshold):
    login("operatore_cremona").post(
        reverse("admin:reports_import", args=["attivita"]), {"file": _file([_line(i) for i in range(6)])}
    )
    job = _run_queued(ImportJob.objects.get(user=operatore_cremona))
    other = login("operatore_sesto")
    assert other.get(reverse("admin:reports_importjob_status", args=[job.pk])).status_code == 404
    assert other.post(reverse("admin:reports_importjob_status", args=[job.pk])).status_code == 404
    assert list(other.get(reverse("admin:reports_importjob_changelist")).context["cl"].result_list) == []
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED


def test_a_job_never_writes_outside_the_owner_s_scope(operatore_cremona, small_threshold):
    text = (
        "Ambito;"
        + HEADER
        + "\r\n"
        + "\r\n".join(f"Sesto San Giovanni e Cologno Monzese;{_line(i, comune='')}" for i in range(6))
    )
    job = services.import_job_create(
        importer="attivita", content=text.encode(), filename="x.csv", rows=6, by=operatore_cremona
    )
    job = _run_queued(job)
    assert job.status == ImportStatus.INVALID
    assert {column for _row, column, _message in job.errors} == {"Ambito"}
    assert not _titles().exists()


def test_small_files_still_answer_in_the_request(login, operatore_cremona):
    response = login("operatore_cremona").post(
        reverse("admin:reports_import", args=["attivita"]), {"file": _file([_line(i) for i in range(3)])}
    )
    assert response.status_code == 200 and response.context["report"].ok
    assert not ImportJob.objects.exists()


# --- the bulk write ------------------------------------------------------------------------------


def test_bulk_write_reports_what_the_dry_run_reports(operatore_cremona):
    cremona = Ambito.objects.get(slug="cremonese-casalasco")
    day = date(LAST_YEAR, 4, 2)
    stored = ActivityFactory(ambito=cremona, title="Già registrata (job)", start_date=day, end_date=day)
    foreign_school = SchoolFactory(ambito=Ambito.objects.get(slug="sesto-san-giovanni"))
    lines = [_line(i) for i in range(7)]
    lines[5] = _line(5, hours="tre")  # unreadable: reported with the rows the model refuses
    lines[1] = _line(1, day="01/01/2010")  # before any plan
    lines[2] = _line(2, school=foreign_school.code)  # a school of another ambito
    lines[3] = _line(3, hours="0,2")  # below the minimum
    lines[4] = (
        f"{stored.get_kind_display()};già registrata (JOB);{stored.start_date:%d/%m/%Y};"
        f"{stored.end_date:%d/%m/%Y};2;;Cremona;"
    )
    rows = read_table(_file(lines))
    dry = ActivityImporter(operatore_cremona).dry_run(rows)
    written = ActivityImporter(operatore_cremona).write(rows)
    assert [(e.row, e.column) for e in written.errors] == [(e.row, e.column) for e in dry.errors]
    assert [e.message for e in written.errors] == [e.message for e in dry.errors]
    assert {e.row for e in written.errors} == {3, 4, 5, 6, 7}
    assert _titles().count() == 1, "nothing written but the stored row"


def test_bulk_write_keeps_history_and_updates_on_reimport(operatore_cremona):
    rows = read_table(_file([_line(i) for i in range(4)]))
    report = ActivityImporter(operatore_cremona).write(rows)
    assert report.ok and report.new == 4
    activity = _titles().get(title="Corso 0 (job)")
    assert activity.created_by == operatore_cremona
    assert activity.macro_azione.number == 1
    assert list(activity.history.values_list("history_type", flat=True)) == ["+"]
    assert activity.history.first().history_user == operatore_cremona

    changed = read_table(_file([_line(0, hours="3"), *[_line(i) for i in range(1, 4)]]))
    report = ActivityImporter(operatore_cremona).write(changed)
    assert (report.new, report.updated, report.unchanged) == (0, 1, 3)
    activity.refresh_from_db()
    assert activity.hours == Decimal("3")
    assert list(activity.history.values_list("history_type", flat=True)) == ["~", "+"]
    assert _titles().count() == 4
