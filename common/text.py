"""Text folding for search: what people type rarely matches the official spelling."""

import unicodedata


def fold(value: str) -> str:
    """Lowercase ASCII letters and digits only: "Cornate d'Adda" and "cornate dadda" meet.

    Accents, apostrophes, hyphens and spaces all go, so "Sant'Angelo", "sant angelo" and
    "Sant Angelo" fold to the same key.
    """
    decomposed = unicodedata.normalize("NFKD", value or "")
    return "".join(ch for ch in decomposed.lower() if ch.isascii() and ch.isalnum())
