"""Links a browser may follow safely, for anything that stores an address: an author's
website, a link or image in a body. Refused: other schemes (javascript:, data:), hidden
control and format characters, backslashes, and relative addresses that lead to
another host (//host, /\\host)."""

import re
import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

# The schemes a link may use: the web and mail.
LINK_SCHEMES = {"http", "https", "mailto"}


def has_hidden_characters(value):
    """Control and format characters (tabs, zero-width joiners, bidi overrides...)
    are how `java\tscript:` and look-alike URLs get past scheme checks."""
    return any(unicodedata.category(char) in ("Cc", "Cf") for char in value)


# A relative URL that a browser reads as "another host": `//host`, and the
# backslash spellings browsers treat as slashes (`/\host`, `\\host`, `/%5Chost`).
_OTHER_HOST = re.compile(r"^[/\\](?:[/\\]|%2f|%5c)", re.IGNORECASE)


def is_safe_url(value, *, schemes, allow_relative=True):
    """Whether a browser following `value` stays with `schemes` (or this site).

    Backslashes are refused anywhere: browsers read them as slashes in web URLs,
    which turns a harmless-looking path into a link to another host.
    """
    if not value or "\\" in value or has_hidden_characters(value):
        return False
    scheme = urlsplit(value).scheme.lower()
    if scheme:
        return scheme in schemes
    # Relative URLs: same-site paths and in-page anchors, never protocol-relative.
    return allow_relative and not _OTHER_HOST.match(value)


def is_safe_link(value):
    """Whether a link stored outside a body (an author's website...) may be followed:
    an absolute web or mail address, nothing relative to this site."""
    return is_safe_url(value.strip(), schemes=LINK_SCHEMES, allow_relative=False)


def validate_safe_link(value):
    if value and not is_safe_link(value):
        raise ValidationError(
            "Enter a full address starting with https:// or http://, without spaces, "
            "backslashes or invisible characters.",
            code="unsafe_link",
        )


def is_own_media_url(value):
    """Whether `value` is the address of an uploaded file of this site, in its one spelling."""
    return (
        value.startswith(settings.MEDIA_URL)
        and "//" not in value
        and ".." not in value
        and "\\" not in value
        and "%5c" not in value.lower()
        and not has_hidden_characters(value)
    )
