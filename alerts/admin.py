from django.contrib import admin

from .models import Delivery, Subscriber


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
            return "Stopped: the address was refused"
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
