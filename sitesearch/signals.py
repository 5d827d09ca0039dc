"""Keep the index in step: a change to an indexed item queues its re-indexing after commit."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from sitesearch.sources import SOURCES


def _targets() -> dict[str, tuple[str, str]]:
    """label → (kind, attribute holding the indexed row's id)."""
    targets = {}
    for kind, source in SOURCES.items():
        targets[source.model()._meta.label_lower] = (kind, "pk")
        for label, attribute in source.parents.items():
            targets[label] = (kind, attribute)
    return targets


def _queue(kind: str, object_id) -> None:
    # Through the outbox: the task is a row of this transaction, sent after commit, kept
    # while the broker is down (ops.services).
    from ops.services import outbox_enqueue

    if object_id is not None:
        outbox_enqueue(task="sitesearch.tasks.reindex", args=[kind, object_id])


def _changed(sender, instance, **kwargs) -> None:
    target = _TARGETS.get(sender._meta.label_lower)
    if target:
        kind, attribute = target
        _queue(kind, getattr(instance, attribute, None))


def _m2m_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_"):
        _changed(type(instance), instance)


_TARGETS: dict[str, tuple[str, str]] = {}


def connect() -> None:
    _TARGETS.update(_targets())
    post_save.connect(_changed, dispatch_uid="sitesearch-save")
    post_delete.connect(_changed, dispatch_uid="sitesearch-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="sitesearch-m2m")
