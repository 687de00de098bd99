"""The emails alerts sends, each with a plain-text and an HTML part
(templates/alerts/email/<name>.txt and .html).

Every email to a confirmed subscriber carries its signed preferences link, and the
one-click unsubscribe of RFC 8058: List-Unsubscribe names the signed unsubscribe
address, and List-Unsubscribe-Post tells mail programs that one POST to it is enough.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute(path):
    """`path` on this site, as a link that works from a mail program."""
    return settings.SITE_URL + path


def names(items):
    """ "A", "A and B", "A, B and C"."""
    items = [str(item) for item in items]
    return " and ".join(items) if len(items) < 3 else ", ".join(items[:-1]) + " and " + items[-1]


def _message(subscriber, subject, template, **context):
    context.update(subscriber=subscriber, site_name=settings.THINKTANK_NAME)
    headers = {}
    if subscriber.is_confirmed:
        context["preferences_url"] = absolute(subscriber.get_absolute_url())
        context["unsubscribe_url"] = absolute(subscriber.unsubscribe_url)
        headers = {
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"alerts/email/{template}.txt", context),
        from_email=settings.ALERTS_FROM_EMAIL,
        to=[subscriber.email],
        headers=headers,
    )
    message.attach_alternative(
        render_to_string(f"alerts/email/{template}.html", context), "text/html"
    )
    return message


def confirmation(subscriber):
    """The double opt-in: nothing else is sent until its link is followed."""
    return _message(
        subscriber,
        f"Confirm your email alerts from {settings.THINKTANK_NAME}",
        "confirm",
        confirm_url=absolute(subscriber.confirm_url),
        follows=names(subscriber.followed_names()),
    )


def already_subscribed(subscriber):
    """To a confirmed address someone asked to subscribe again: its preferences link,
    and nothing changed (whoever asked may not own the address)."""
    return _message(
        subscriber, f"Your email alerts from {settings.THINKTANK_NAME}", "already_subscribed"
    )


def _item(publication, reason):
    return {
        "title": publication.title,
        "lead": publication.lead_text,
        "byline": names(publication.byline),
        "url": absolute(publication.get_absolute_url()),
        "type": publication.publication_type.name,
        "reason": reason,
    }


def alert(delivery):
    """One publication, as soon as it is public. `delivery.publication` is read with
    its type and byline (tasks.publications_to_send)."""
    item = _item(delivery.publication, delivery.reason)
    return _message(delivery.subscriber, item["title"], "alert", item=item)


def digest(subscriber, deliveries):
    """The week's publications that match, each once, newest first."""
    items = [_item(delivery.publication, delivery.reason) for delivery in deliveries]
    count = len(items)
    subject = (
        f"This week from {settings.THINKTANK_NAME}: {count} new publication{'s' * (count > 1)}"
    )
    return _message(subscriber, subject, "digest", items=items)
