"""Expired exports and stale import uploads are purged by a command and an hourly beat task."""

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from reports import services, tasks
from reports.models import ExportJob, ExportStatus, ImportJob, ImportStatus, _import_storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _export(user, *, expires_in):
    job = ExportJob(user=user, exporter="attivita", status=ExportStatus.DONE)
    job.expires_at = timezone.now() + expires_in
    job.file.save("attivita.csv", ContentFile(b"a;b\n"), save=False)
    job.save()
    return job


def _import(user, *, expires_in, status=ImportStatus.CHECKED):
    job = ImportJob(user=user, importer="attivita", status=status, expires_at=timezone.now() + expires_in)
    job.file.save("x.upload", ContentFile(b"a;b\n"), save=False)
    job.save()
    return job


def _stray_upload(age):
    storage = _import_storage()
    name = storage.save("abc.upload", ContentFile(b"a;b\n"))
    moment = (timezone.now() - age).timestamp()
    os.utime(storage.path(name), (moment, moment))
    return storage.path(name)


def test_command_purges_expired_exports_and_stale_uploads_only(media, coordinatore, capsys):
    old_export = _export(coordinatore, expires_in=-timedelta(minutes=1))
    fresh_export = _export(coordinatore, expires_in=timedelta(days=1))
    old_import = _import(coordinatore, expires_in=-timedelta(minutes=1))
    running_import = _import(coordinatore, expires_in=-timedelta(minutes=1), status=ImportStatus.WRITING)
    fresh_import = _import(coordinatore, expires_in=timedelta(hours=1))
    stale = _stray_upload(settings.IMPORT_UPLOAD_TTL + timedelta(minutes=1))
    recent = _stray_upload(timedelta(minutes=5))
    old_path, fresh_path = old_export.file.path, fresh_export.file.path

    call_command("purge_exports")
    assert "1 esportazioni scadute, 2 file di importazione cancellati" in capsys.readouterr().out

    old_export.refresh_from_db()
    assert old_export.status == ExportStatus.EXPIRED and not old_export.file and not os.path.exists(old_path)
    assert os.path.exists(fresh_path)
    old_import.refresh_from_db()
    assert old_import.status == ImportStatus.EXPIRED and not old_import.file
    for job in (running_import, fresh_import):
        job.refresh_from_db()
        assert job.status != ImportStatus.EXPIRED and job.file
    assert not os.path.exists(stale) and os.path.exists(recent)

    # A second run finds nothing more to do.
    call_command("purge_exports")
    assert "0 esportazioni scadute, 0 file di importazione cancellati" in capsys.readouterr().out


def test_beat_runs_the_purge_every_hour(media, coordinatore):
    entry = settings.CELERY_BEAT_SCHEDULE["reports-purge-expired"]
    assert entry == {"task": "reports.tasks.purge_expired", "schedule": 3600.0}
    assert tasks.purge_expired.name == entry["task"]
    job = _export(coordinatore, expires_in=-timedelta(seconds=1))
    tasks.purge_expired()
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED


def test_purge_without_an_uploads_folder_is_harmless(media):
    assert services.import_upload_purge() == 0
