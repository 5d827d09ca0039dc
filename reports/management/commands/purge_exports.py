"""Delete expired export files and stale import uploads (also run hourly by Celery beat)."""

from django.core.management.base import BaseCommand

from reports import services


class Command(BaseCommand):
    help = "Cancella i file delle esportazioni scadute e i file caricati per importazioni non più in corso."

    def handle(self, *args, **options):
        exports = services.export_job_purge()
        uploads = services.import_upload_purge()
        self.stdout.write(f"{exports} esportazioni scadute, {uploads} file di importazione cancellati.")
