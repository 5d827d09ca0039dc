from django.core.management.base import BaseCommand

from sitesearch.services import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the site-search index from the published content."

    def handle(self, *args, **options):
        self.stdout.write(f"{index_rebuild()} index rows written.")
