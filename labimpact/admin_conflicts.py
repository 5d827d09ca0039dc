"""Stale and concurrent admin saves answer with a message, not a 500.

Two people editing the same record (or one in two tabs) can each pass form validation and
then collide when saving: a beneficiary row the other tab already added breaks a unique
constraint, a row the other tab deleted is gone. The service refuses (ValidationError) or
the database does (IntegrityError) after the admin's transaction started; the whole save
is rolled back and the change form is shown again, as it now is, with the reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _


class SaveConflictMixin:
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, IntegrityError) as exc:
            if request.method != "POST":
                raise
            detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else ""
            messages.error(
                request,
                _(
                    "Non salvato: nel frattempo qualcun altro ha modificato questi dati. "
                    "Ecco la scheda com'è ora: rifai le modifiche e salva di nuovo."
                )
                + (f" ({detail})" if detail else ""),
            )
            request.method = "GET"
            response = super().changeform_view(request, object_id, form_url, extra_context)
            response.status_code = 409
            return response
