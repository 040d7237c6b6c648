"""Tracking codes (查询码) such as TS-2026-7KQ4-M2XD: short, read aloud over the phone, unguessable.

The eight random characters use Crockford's base32 alphabet (no I, L, O or U), 40 bits from
`secrets`; together with the last four digits of the phone and the tracking page's rate limit
they cannot be enumerated. Lookups forgive the usual slips: lower case, spaces, missing dashes,
O for 0 and I or L for 1.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "TS"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SHAPE = re.compile(rf"^{PREFIX}(\d{{4}})([{ALPHABET}]{{8}})$")


def new_code(year):
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{PREFIX}-{year}-{chars[:4]}-{chars[4:]}"


def normalise(text):
    """The canonical form of a typed code, or None when it cannot be one."""
    compact = re.sub(r"[\s\-_—–－]", "", (text or "").upper())
    if compact.startswith(PREFIX):
        compact = PREFIX + compact[len(PREFIX) :].translate(_CONFUSABLE)
    match = _SHAPE.match(compact)
    if not match:
        return None
    year, chars = match.groups()
    return f"{PREFIX}-{year}-{chars[:4]}-{chars[4:]}"
