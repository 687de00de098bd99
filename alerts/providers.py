"""What an email provider says about an address, through django-anymail (README,
"Sending email"; optional, so nothing here needs it installed).

When sending, a provider's API that rejects the address (anymail raises
AnymailRecipientsRefused) counts as a hard failure, as an SMTP server's 5xx reply
does (tasks.deliver). Later, the provider's webhook (/anymail/<provider>/tracking/)
reports what became of each email as anymail's `tracking` signal: a bounce or a
rejection stops all email to the address; a spam complaint, or an unsubscribe made
at the provider, forgets it as our own unsubscribe link does. Other events are
only logged.
"""

import logging
import smtplib

from .models import Subscriber

logger = logging.getLogger(__name__)

try:
    from anymail.exceptions import AnymailRecipientsRefused
except ImportError:  # no provider's API: only an SMTP server refuses addresses
    REFUSALS = (smtplib.SMTPRecipientsRefused,)
else:
    REFUSALS = (smtplib.SMTPRecipientsRefused, AnymailRecipientsRefused)

# anymail's normalized event types (anymail.signals.EventType).
STOPPING = {"bounced", "rejected"}
FORGETTING = {"complained", "unsubscribed"}


def connect():
    """Listen to the provider's reports; called when anymail is an installed app."""
    from anymail.signals import tracking

    tracking.connect(provider_reported, dispatch_uid="alerts-provider-events")


def provider_reported(sender, event, esp_name, **kwargs):
    """anymail's `tracking` signal: one event (AnymailTrackingEvent) for one address."""
    subscribers = Subscriber.objects.filter(email=(event.recipient or "").lower())
    if event.event_type in STOPPING:
        done = "stopped" if subscribers.disable() else "nothing to stop"
    elif event.event_type in FORGETTING:
        done = "forgotten" if subscribers.delete()[0] else "nothing to forget"
    else:
        done = "noted"
    # The provider's message id, not the address: it finds the email in the provider's logs.
    logger.info(
        "%s reported %s for message %s: %s", esp_name, event.event_type, event.message_id, done
    )
