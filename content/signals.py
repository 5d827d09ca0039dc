"""Stored files follow their rows: a deleted or replaced material file leaves no orphan on disk.

Removal waits for the commit, so a rolled-back delete never loses a file that is still
referenced.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete

logger = logging.getLogger(__name__)


def delete_file_on_commit(storage, name: str) -> None:
    def remove() -> None:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete the material file %s", name, exc_info=True)

    transaction.on_commit(remove)


def _material_file_deleted(sender, instance, **kwargs) -> None:
    if instance.file:
        delete_file_on_commit(instance.file.storage, instance.file.name)


def connect() -> None:
    from content.models import MaterialFile

    post_delete.connect(_material_file_deleted, sender=MaterialFile, dispatch_uid="content-material-file-deleted")
