"""Which results people open: result links go through /search/go/<token>/, a signed note of the query and
the page, which counts one open for the query's log entry and sends the browser on to the page.

Only a local path is ever a target (it starts with one "/", not "//" or "/\\"), so the address cannot be
turned into a redirect to another site. A token that is not the portal's own (changed by hand, cut off)
or older than `MAX_AGE` counts nothing; it still leads to its page when that is a local path, so a link
kept from yesterday's search keeps working.
"""

import json
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

SALT = "search.opens"
MAX_AGE = 24 * 3600
MAX_TOKEN = 2000  # a 100-character query and a long path make about 600


class _Serializer:
    """JSON with Chinese as UTF-8, not \\u escapes: the query is in the address, and this keeps it short."""

    def dumps(self, obj):
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def loads(self, data):
        return json.loads(data.decode("utf-8"))


class _Unchecked(signing.TimestampSigner):
    """Reads what a token says without checking its signature: only ever used to find a local path to go to."""

    def unsign(self, value, max_age=None):
        if value.startswith("."):  # compressed: this portal never writes those, and it would inflate unchecked
            raise signing.BadSignature
        return value.rsplit(self.sep, 2)[0]


def is_local(url):
    """True for a path on this site ("/services/ly-sd-0001/#faq-1"); false for "//host", "/\\host", "http://…"."""
    return (
        isinstance(url, str)
        and url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
    )


def link(query, url):
    """The address of a result link that counts an open for `query` (already normalised); `url` itself when it
    is not a local path (those are never counted, nor redirected to)."""
    if not query or not is_local(url):
        return url
    # Not compressed: Chinese hardly shrinks, and reading an unchecked token then never inflates anything.
    token = _signer().sign_object({"q": query, "u": url}, serializer=_Serializer)
    return reverse("search_open", args=[token])


@dataclass
class Opening:
    query: str
    url: str
    genuine: bool  # signed by this portal within MAX_AGE: counts as an open


def read(token):
    """What a token says, or None when it says nothing usable (no local path to go to)."""
    if len(token) > MAX_TOKEN:
        return None
    genuine = True
    try:
        data = _signer().unsign_object(token, serializer=_Serializer, max_age=MAX_AGE)
    except signing.BadSignature:  # changed, cut off or expired (SignatureExpired is a BadSignature)
        genuine = False
        try:
            data = _Unchecked(salt=SALT).unsign_object(token, serializer=_Serializer)
        except (signing.BadSignature, ValueError):  # not base64, not UTF-8, not JSON: a made-up token
            return None
    if not isinstance(data, dict) or not is_local(data.get("u")):
        return None
    query = data.get("q") if isinstance(data.get("q"), str) else ""
    return Opening(query=query, url=data["u"], genuine=genuine and bool(query))


def _signer():
    return signing.TimestampSigner(salt=SALT)
