"""Free text on requests must not identify anyone: no fiscal codes, phone numbers or e-mails.

A check on obvious patterns, not a guarantee: the forms also tell people what not to write.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Omocodia replaces digits with these letters, so a fiscal code may contain no digit at all.
_D = "[0-9LMNPQRSTUV]"
FISCAL_CODE = re.compile(rf"\b[A-Z]{{6}}{_D}{{2}}[ABCDEHLMPRST]{_D}{{2}}[A-Z]{_D}{{3}}[A-Z]\b", re.IGNORECASE)
# Nine digits or more, optionally grouped by spaces, dots or dashes: phone numbers, not
# dates ("12.03.2026") or hours ("10.30-12.30"), which have eight at most.
PHONE = re.compile(r"(?:\+|\b00)?\d(?:[\s.-]?\d){8,}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

CHECKS = [
    (FISCAL_CODE, _("Il testo contiene un codice fiscale: toglilo, qui non servono dati personali.")),
    (PHONE, _("Il testo contiene un numero di telefono: toglilo, qui non servono dati personali.")),
    (EMAIL, _("Il testo contiene un indirizzo e-mail: toglilo, qui non servono dati personali.")),
]


def no_personal_identifiers(value: str) -> None:
    for pattern, message in CHECKS:
        if value and pattern.search(value):
            raise ValidationError(message, code="personal_identifier")
