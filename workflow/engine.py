"""A small transition table with an event log (the shape of pretix's `log_action`).

Each request type declares its transitions once: name, source statuses, target status and
the permission label that allows it (an entry of the permission table, scoped to rows like
any model). `Workflow.apply` locks the row, checks status and permission, writes the new
status and one event row, all in the caller's transaction. The services of each app wrap
it (`mediation_request_triage`, `consultation_answer`…) and add their own fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import permissions
from workflow.models import CLOSED, Status


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    permission: str
    needs_reason: bool = False


class Workflow:
    def __init__(self, transitions: list[Transition]):
        self.transitions = {t.name: t for t in transitions}

    def get(self, name: str) -> Transition:
        return self.transitions[name]

    def allowed(self, user, obj: models.Model, name: str) -> bool:
        transition = self.transitions[name]
        return obj.status in transition.sources and permissions.can_act(user, transition.permission, obj)

    def available(self, user, obj: models.Model) -> list[Transition]:
        """Transitions `user` may perform on `obj` now (the buttons on its page)."""
        return [t for t in self.transitions.values() if self.allowed(user, obj, t.name)]

    @transaction.atomic
    def apply(
        self,
        *,
        obj: models.Model,
        name: str,
        by,
        note: str = "",
        change: Callable[[models.Model], None] | None = None,
    ) -> models.Model:
        """Move `obj` along transition `name`; `change` sets the transition's own fields."""
        transition = self.transitions[name]
        # The row is locked so that two people acting on the same request at once are
        # serialised: the second sees the status the first left and is refused cleanly.
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if not permissions.can_act(by, transition.permission, locked):
            raise PermissionDenied(_("Non puoi eseguire questa azione su questa richiesta."))
        if locked.status not in transition.sources:
            raise ValidationError(
                _("Questa azione non è possibile per una richiesta nello stato «%(status)s».")
                % {"status": locked.get_status_display()}
            )
        note = (note or "").strip()
        if transition.needs_reason and not note:
            raise ValidationError({"note": _("Indica il motivo.")})
        from_status = locked.status
        locked.status = transition.target
        if transition.target in CLOSED:
            locked.closed_at = timezone.now()
        elif from_status in CLOSED:
            locked.closed_at = None
        if change is not None:
            change(locked)
        locked.full_clean()
        locked.save()
        locked.events.create(
            actor=by if by is not None and by.is_authenticated else None,
            transition=transition.name,
            from_status=from_status,
            to_status=transition.target,
            note=note,
        )
        # Callers keep using the object they passed in.
        for field in locked._meta.concrete_fields:
            setattr(obj, field.attname, getattr(locked, field.attname))
        return obj


__all__ = ["Status", "Transition", "Workflow"]
