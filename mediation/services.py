from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access import permissions
from access.scope import check_write
from common.db import validated_save
from mediation.models import Mediator


@transaction.atomic
def mediator_save(*, mediator: Mediator, by, ambiti=None, languages=None) -> Mediator:
    """Create or update a mediator's register entry.

    `ambiti` and `languages`, when given, replace the links (the admin's form sets them
    itself). An operator links a mediator to their own ambiti only; the links to other
    ambiti are kept whatever they send.
    """
    data = {}
    if ambiti is not None:
        ambiti = list(ambiti)
        grants = permissions.grants_for(by)
        if grants.ambito_ids and not grants.coordinator and mediator.pk is not None:
            # The other ambiti's links are not the operator's to remove (nor to see).
            hidden = mediator.ambiti.exclude(pk__in=grants.ambito_ids)
            ambiti = list({a.pk: a for a in [*ambiti, *hidden]}.values())
        data["ambiti"] = ambiti
    check_write(by=by, instance=mediator, data=data)
    if ambiti is not None and not permissions.grants_for(by).coordinator:
        allowed = set(permissions.ambito_choices(by, Mediator, permissions.CHANGE).values_list("pk", flat=True))
        before = set(mediator.ambiti.values_list("pk", flat=True)) if mediator.pk else set()
        if {a.pk for a in ambiti} - before - allowed:
            raise ValidationError({"ambiti": _("Puoi registrare dati solo per il tuo ambito.")})
    validated_save(mediator)
    if ambiti is not None:
        mediator.ambiti.set(ambiti)
    if languages is not None:
        mediator.languages.set(languages)
    return mediator
