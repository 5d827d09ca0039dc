from celery import shared_task


@shared_task(ignore_result=True)
def rebuild_datapackage() -> None:
    """Rebuild the HSDS data package from the published desks. Takes no argument (it holds no
    personal data and reads everything afresh), so running it twice is harmless."""
    from api import datapackage

    datapackage.build_and_store()
