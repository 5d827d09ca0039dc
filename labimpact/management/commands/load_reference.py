from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from labimpact.reference import load_reference


class Command(BaseCommand):
    help = "Load provinces, comuni, the plan, macro-azioni, ambiti and reference lists (idempotent)."

    def handle(self, *args, **options):
        try:
            report = load_reference()
        except ValidationError as exc:
            raise CommandError("Reference data rejected, nothing written:\n" + "\n".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {report}"))
