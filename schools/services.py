from django.db import transaction

from access.scope import check_write
from common.db import validated_save
from schools.models import Plesso, School


@transaction.atomic
def school_save(*, school: School, by) -> School:
    """Create or update a school within the ambiti `by` works in."""
    school.code = (school.code or "").strip().upper()
    check_write(by=by, instance=school, ambito=school.ambito)
    return validated_save(school)


@transaction.atomic
def plesso_save(*, plesso: Plesso, by) -> Plesso:
    plesso.code = (plesso.code or "").strip().upper()
    check_write(by=by, instance=plesso, ambito=plesso.school.ambito)
    return validated_save(plesso)
