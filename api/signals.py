"""Rebuild the data package after any committed change to what it shows (once per transaction)."""

from __future__ import annotations

from django.db import connection, transaction
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


def _rebuild() -> None:
    from api.tasks import rebuild_datapackage

    rebuild_datapackage.delay()


def _queue() -> None:
    # One rebuild per transaction however many rows it touches (a loader saves hundreds).
    if connection.in_atomic_block and any(
        callback is _rebuild for _sids, callback, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_rebuild)


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
