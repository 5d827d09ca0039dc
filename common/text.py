"""Text folding for search: what people type rarely matches the official spelling."""

import unicodedata


def fold(value: str) -> str:
    """Lowercase ASCII letters and digits only: "Cornate d'Adda" and "cornate dadda" meet.

    Accents, apostrophes, hyphens and spaces all go, so "Sant'Angelo", "sant angelo" and
    "Sant Angelo" fold to the same key.
    """
    decomposed = unicodedata.normalize("NFKD", value or "")
    return "".join(ch for ch in decomposed.lower() if ch.isascii() and ch.isalnum())


# A PostgreSQL ICU collation that compares digit runs as numbers, for ordering in SQL what
# natural_key orders in Python (created by territories' migration 0003).
NATURAL_COLLATION = "labimpact_natural"


def natural_key(value: str) -> tuple:
    """Sort key reading digit runs as numbers: "Ambito 2" before "Ambito 10"."""
    import re

    return tuple(int(part) if part.isdigit() else fold(part) for part in re.split(r"(\d+)", value or ""))
