from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Announcement, Delivery, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "frequency", "state", "following", "created_at"]
    list_filter = ["frequency", ("confirmed_at", admin.EmptyFieldListFilter), "disabled_at"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    filter_horizontal = ["authors", "regions", "types", "tags"]
    readonly_fields = ["created_at", "confirmed_at", "hard_failures"]
    fields = [
        "email",
        "frequency",
        "follows_everything",
        "authors",
        "regions",
        "types",
        "tags",
        "created_at",
        "confirmed_at",
        "hard_failures",
        "disabled_at",
    ]

    def get_queryset(self, request):
        # What the "following" column names, in four queries for the page.
        return super().get_queryset(request).prefetch_related("authors", "regions", "types", "tags")

    @admin.display(description="state")
    def state(self, subscriber):
        if subscriber.disabled_at:
            return "Stopped: the address was refused or bounced"
        return "Confirmed" if subscriber.is_confirmed else "Waiting for confirmation"

    @admin.display(description="following")
    def following(self, subscriber):
        return ", ".join(subscriber.followed_names())


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """What was sent to whom, and why: a record, not edited by hand."""

    list_display = ["publication", "subscriber", "kind", "status", "reason", "sent_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["publication", "subscriber"]
    search_fields = ["subscriber__email", "publication__title"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _count(status):
    """How many of an announced publication's deliveries are in `status`, as a subquery."""
    deliveries = Delivery.objects.filter(publication=OuterRef("publication"), status=status)
    counted = deliveries.order_by().values("publication").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    """Per publication announced: how many alerts were sent, wait, or failed."""

    list_display = ["publication", "created_at", "sent", "waiting", "failed"]
    list_select_related = ["publication"]
    search_fields = ["publication__title"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                sent=_count(Delivery.Status.SENT),
                waiting=_count(Delivery.Status.PENDING),
                failed=_count(Delivery.Status.FAILED),
            )
        )

    @admin.display(ordering="sent")
    def sent(self, announcement):
        return announcement.sent

    @admin.display(ordering="waiting")
    def waiting(self, announcement):
        return announcement.waiting

    @admin.display(ordering="failed")
    def failed(self, announcement):
        return announcement.failed

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
