"""Email alerts: who asked for them, what they follow, and what each was sent.

A subscriber is an address, what it follows, how often it wants to hear, and when it
consented (confirmed_at); nothing else about a person is stored. Until the address is
confirmed nothing is sent to it, and an unconfirmed address is forgotten after
UNCONFIRMED_DAYS.
"""

from datetime import timedelta
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from authors.models import Author
from publications.models import Publication, PublicationType, Region

from . import signing
from .signing import UNCONFIRMED_DAYS

# After this many hard failures in a row (the server refused the address), nothing
# more is sent to it; a provider's report of a bounce stops it at once (alerts.providers).
MAX_HARD_FAILURES = 3


class SubscriberQuerySet(models.QuerySet):
    def receiving(self):
        """Those that may be sent alerts: confirmed, and not given up on."""
        return self.filter(confirmed_at__isnull=False, disabled_at__isnull=True)

    def unconfirmed_expired(self, now=None):
        """Unconfirmed addresses older than UNCONFIRMED_DAYS: to be forgotten."""
        since = (now or timezone.now()) - timedelta(days=UNCONFIRMED_DAYS)
        return self.filter(confirmed_at__isnull=True, created_at__lt=since)

    def disable(self):
        """Send these nothing more: their addresses were refused or bounced."""
        return self.filter(disabled_at__isnull=True).update(disabled_at=timezone.now())

    def reasons_for(self, publication):
        """{subscriber id: (its frequency, the reason it gets `publication`)} for each
        subscriber that receives alerts and follows any of the publication's authors,
        regions (a region holds its subregions), type or tags, or everything: one reason
        each, the most specific ("You follow Northeast Asia").
        """
        receiving = self.receiving()
        if not receiving.exists():  # a new site: nothing to look up
            return {}
        regions = Region.objects.holding_ids(publication.regions.values_list("pk", flat=True))
        follows = [
            (Subscriber.authors.through, "author__name", {"author__in": publication.authors.all()}),
            (Subscriber.regions.through, "region__name", {"region__in": regions}),
            (
                Subscriber.types.through,
                "publicationtype__plural_label",
                {"publicationtype": publication.publication_type_id},
            ),
            (Subscriber.tags.through, "tag__name", {"tag__in": publication.tags.all()}),
        ]
        reasons = {}
        for through, name, matching in follows:
            rows = through.objects.filter(subscriber__in=receiving, **matching).order_by(name)
            for pk, frequency, followed in rows.values_list(
                "subscriber", "subscriber__frequency", name
            ):
                reasons.setdefault(pk, (frequency, f"You follow {followed}"))
        everything = receiving.filter(follows_everything=True)
        everyone = f"You follow everything {settings.THINKTANK_NAME} publishes"
        for pk, frequency in everything.values_list("pk", "frequency"):
            reasons.setdefault(pk, (frequency, everyone))
        return reasons


class Subscriber(models.Model):
    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", "As soon as it is published"
        WEEKLY = "weekly", "A weekly digest"

    # Lower-cased when typed (SubscribeForm), so one address is one subscriber.
    email = models.EmailField(unique=True)
    frequency = models.CharField(
        max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )
    follows_everything = models.BooleanField(default=False)
    authors = models.ManyToManyField(Author, blank=True, related_name="+")
    regions = models.ManyToManyField(
        Region, blank=True, related_name="+", help_text="A region includes its subregions."
    )
    types = models.ManyToManyField(PublicationType, blank=True, related_name="+")
    tags = models.ManyToManyField(Tag, blank=True, related_name="+", verbose_name="topics")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the address was confirmed: the consent."
    )
    hard_failures = models.PositiveSmallIntegerField(
        default=0, help_text="Refusals of the address in a row; reset by a delivery."
    )
    disabled_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            f"Set after {MAX_HARD_FAILURES} refusals in a row, or when the email provider "
            "reports a bounce: nothing more is sent. Clear it to send again."
        ),
    )

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        indexes = [
            # unconfirmed_expired(): the daily sweep of unconfirmed addresses.
            models.Index(
                fields=["created_at"],
                condition=Q(confirmed_at__isnull=True),
                name="subscriber_unconfirmed_idx",
            )
        ]

    def __str__(self):
        return self.email

    def get_absolute_url(self):
        """The preferences page, for whoever holds the signed link."""
        return reverse("alerts:preferences", args=[signing.manage_token(self)])

    @property
    def unsubscribe_url(self):
        return reverse("alerts:unsubscribe", args=[signing.manage_token(self)])

    @property
    def confirm_url(self):
        return reverse("alerts:confirm", args=[signing.confirm_token(self)])

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    def confirm(self):
        """The double opt-in's second step: the consent, noted once."""
        if not self.is_confirmed:
            self.confirmed_at = timezone.now()
            self.save(update_fields=["confirmed_at"])

    def followed_names(self):
        """What it follows, by name, for its preferences page and the admin."""
        if self.follows_everything:
            return ["everything"]
        return [
            *(str(author) for author in self.authors.all()),
            *(str(region) for region in self.regions.all()),
            *(kind.plural_label for kind in self.types.all()),
            *(str(tag) for tag in self.tags.all()),
        ]


class Announcement(models.Model):
    """That the subscribers following a publication were found: once per publication,
    so an edit or a re-publish sends nothing again. Deleted when the publication is
    taken off the site before its alerts went out, so a later publish sends the rest."""

    publication = models.OneToOneField(
        Publication, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Alerts for {self.publication}"


class DeliveryQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Delivery.Status.PENDING)

    def claim(self, limit=None):
        """Mark these pending ones (the first `limit` of them) as being sent, and return
        them: a second worker cannot claim the same, so none is sent twice."""
        batch = uuid4()
        ids = list(self.pending().order_by("pk").values_list("pk", flat=True)[:limit])
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SENDING, batch=batch
        )
        return Delivery.objects.filter(batch=batch).select_related("subscriber").order_by("pk")


class Delivery(models.Model):
    """A publication for a subscriber: one at most, whatever happens."""

    class Kind(models.TextChoices):
        IMMEDIATE = "immediate", "Alert"
        DIGEST = "digest", "Weekly digest"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The claim of the worker sending it (DeliveryQuerySet.claim).
    batch = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "publication"], name="one_delivery_per_publication"
            )
        ]
        indexes = [
            # The senders' pending ones, per publication (alerts) or kind (the digest).
            models.Index(
                fields=["kind", "publication"],
                condition=Q(status="pending"),
                name="delivery_pending_idx",
            ),
            # claim(): the rows of one batch.
            models.Index(fields=["batch"], name="delivery_batch_idx"),
        ]

    def __str__(self):
        return f"{self.publication} for {self.subscriber}"
