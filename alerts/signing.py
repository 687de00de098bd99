"""The signed links in alerts' emails: no account and no password, the link is the key.

A confirmation link works for UNCONFIRMED_DAYS; the preferences and unsubscribe link
in every alert works as long as the subscriber exists. Each names the subscriber and
its address, so a link for an address that was forgotten and subscribed again, or a
link of one kind used as the other (each has its own salt), is refused.
"""

from django.core import signing

CONFIRM_SALT = "alerts.confirm"
MANAGE_SALT = "alerts.manage"
# An address not confirmed within this many days is forgotten (Subscriber), and its
# confirmation link stops working.
UNCONFIRMED_DAYS = 7
CONFIRM_MAX_AGE = UNCONFIRMED_DAYS * 24 * 60 * 60


def _token(subscriber, salt):
    return signing.dumps([subscriber.pk, subscriber.email], salt=salt, compress=True)


def confirm_token(subscriber):
    return _token(subscriber, CONFIRM_SALT)


def manage_token(subscriber):
    return _token(subscriber, MANAGE_SALT)


def _read(token, salt, max_age=None):
    """(pk, email) from a token, or None if it is not ours, altered or too old."""
    try:
        pk, email = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return pk, email


def read_confirm_token(token):
    return _read(token, CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)


def read_manage_token(token):
    return _read(token, MANAGE_SALT)
