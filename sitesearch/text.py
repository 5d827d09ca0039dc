"""Normalisation shared by the index and the query, so accents and case never decide a match."""

from __future__ import annotations

import unicodedata


def normalize(value: str) -> str:
    """Casefolded words without accents or diacritics, in any script.

    "Cittadinanza", "cittadinanzà" and "CITTADINANZA" meet; Arabic vowel marks go too, so a
    reader who types without them still finds a text written with them. Punctuation
    separates words.
    """
    decomposed = unicodedata.normalize("NFKD", value or "").casefold()
    kept = (" " if not ch.isalnum() else ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join("".join(kept).split())


def is_unspaced_script(value: str) -> bool:
    """Chinese (and Japanese) write words without spaces: match them as substrings."""
    return any("\u3040" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in value)
