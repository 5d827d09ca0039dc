from django.core.management.base import BaseCommand

from ops.models import OutboxMessage
from ops.services import outbox_flush


class Command(BaseCommand):
    help = "Send the Celery tasks the outbox kept while the broker was down."

    def handle(self, *args, **options):
        sent = outbox_flush()
        left = OutboxMessage.objects.count()
        self.stdout.write(f"sent {sent}, waiting {left}")
        if left and not sent:
            self.stderr.write("the broker refused the first message; see the last error in the admin")
