"""Stable HSDS identifiers for rows that have integer keys.

HSDS wants string ids in UUID format. A desk's id must survive re-publication, renaming and a
dump/restore, so it is derived from the primary key rather than stored: a UUIDv8 (RFC 9562,
"custom") whose first 64 bits say what kind of record it is (a hash of the kind) and whose
last 62 bits are the primary key. Reading an id back is arithmetic, not a lookup table, and an
id of the wrong kind (an organisation's id given as a service id) is told apart at once.

Rows that have no key of their own (a language spoken at a desk, the third document to bring)
get a name-based UUIDv5 of their parts: stable, but not decoded, since nothing looks them up.
"""

from __future__ import annotations

import hashlib
import uuid

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://labimpact.regione.lombardia.it/api/v1/")
_PK_BITS = 62
_PK_MASK = (1 << _PK_BITS) - 1


def _prefix(kind: str) -> int:
    high = int.from_bytes(hashlib.sha256(f"labimpact-hsds:{kind}".encode()).digest()[:8], "big")
    return (high & ~(0xF << 12)) | (0x8 << 12)  # version 8 in bits 48-51


def record_id(kind: str, pk: int) -> str:
    """The UUID of the `kind` row with primary key `pk`."""
    if not 0 < pk <= _PK_MASK:
        raise ValueError(pk)
    return str(uuid.UUID(int=(_prefix(kind) << 64) | (0b10 << _PK_BITS) | pk))


def record_pk(kind: str, value) -> int | None:
    """The primary key behind `value` if it is a `kind` id, else None (never raises)."""
    try:
        number = uuid.UUID(str(value)).int
    except (TypeError, ValueError, AttributeError):
        return None
    if number >> 64 != _prefix(kind) or (number >> _PK_BITS) & 0b11 != 0b10:
        return None
    return (number & _PK_MASK) or None


def part_id(kind: str, *parts) -> str:
    """A stable id for a row made of other rows' parts (never decoded)."""
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *map(str, parts)])))
