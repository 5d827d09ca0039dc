"""Rebuild the data package after any committed change to what it shows (once per transaction)."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

# Models whose rows appear in the package.
WATCHED = frozenset(
    {
        "services.sportello",
        "services.openingslot",
        "services.closure",
        "services.servicecategory",
        "services.language",
        "territories.partner",
        "territories.partnertype",
        "territories.ambito",
    }
)


def _queue() -> None:
    # Through the outbox (ops.services): the rebuild is a row of this transaction, sent after
    # commit and kept while the broker is down; an identical waiting message is not queued
    # twice, so a loader saving hundreds of rows queues one rebuild.
    from ops.services import outbox_enqueue

    outbox_enqueue(task="api.tasks.rebuild_datapackage")


def _changed(sender, **kwargs) -> None:
    if sender._meta.label_lower in WATCHED:
        _queue()


def _m2m_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and type(instance)._meta.label_lower in WATCHED:
        _queue()


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="api-datapackage-save")
    post_delete.connect(_changed, dispatch_uid="api-datapackage-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="api-datapackage-m2m")
