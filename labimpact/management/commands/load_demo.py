from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from labimpact.demo import DEMO_PASSWORD, load_demo
from territories.models import Ambito


class Command(BaseCommand):
    help = "Load demo desks, schools, mediators and one user per role (local use and tests only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("load_demo refuses to run with DEBUG off: demo users must never reach production.")
        if not Ambito.objects.exists():
            raise CommandError("Load the reference data first: manage.py load_reference")
        users = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Demo logins (password for all: {DEMO_PASSWORD}):"))
        for user in users:
            self.stdout.write(f"  {user.username:<18} {user.description}")
