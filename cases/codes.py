"""Tracking codes (查询码) such as TS-2026-7KQ4-M2XD: short, read aloud over the phone, unguessable.

The first letters tell the kind (TS 投诉, ZX 咨询, DB 代办: cases.kinds). The eight random characters
use Crockford's base32 alphabet (no I, L, O or U), 40 bits from `secrets`; together with the last four
digits of the phone and the tracking page's lockout they cannot be enumerated. Lookups forgive the
usual slips: lower case, spaces, missing dashes, O for 0 and I or L for 1.
"""

import re
import secrets

from . import kinds

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SHAPE = re.compile(rf"^([A-Z]{{2}})(\d{{4}})([{ALPHABET}]{{8}})$")


def new_code(prefix, year):
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{prefix}-{year}-{chars[:4]}-{chars[4:]}"


def normalise(text):
    """(kind, canonical code) for a typed code of a registered kind, or None when it cannot be one."""
    compact = re.sub(r"[\s\-_—–－]", "", (text or "").upper())
    kind = kinds.by_prefix(compact[:2])
    if kind is None:
        return None
    compact = compact[:2] + compact[2:].translate(_CONFUSABLE)
    match = _SHAPE.match(compact)
    if not match:
        return None
    prefix, year, chars = match.groups()
    return kind, f"{prefix}-{year}-{chars[:4]}-{chars[4:]}"
