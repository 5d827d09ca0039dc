from celery import shared_task

from ops.tasks import RETRYING
from sitesearch import services


@shared_task(**RETRYING)
def reindex(kind: str, object_id: int) -> None:
    """Rebuild one item's index rows; idempotent, reads the item afresh."""
    services.entry_index(kind=kind, object_id=object_id)
