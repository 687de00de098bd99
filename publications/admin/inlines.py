"""The publication's inlines: its byline and its hand-picked related publications,
each ordered by dragging."""

from django.contrib import admin
from django.utils import timezone

from ..models import Authorship, Publication, RelatedPick
from ..policy import may_write
from .forms import BylineFormSet, OrderedInlineFormSet, RelatedPickForm


class OrderedInline(admin.TabularInline):
    """An inline ordered by `position`: drag, or "Move up"/"Move down", with JavaScript
    (static/js/reorder.js writes the numbers); the numbers alone without it."""

    formset = OrderedInlineFormSet
    template = "admin/publications/edit_inline/ordered.html"
    ordering = ["position", "pk"]
    classes = ["reorderable"]

    class Media:
        js = ["js/reorder.js"]

    def get_extra(self, request, obj=None, **kwargs):
        # No blank row under the saved ones: "Add another" adds one. A new publication's
        # form has one row to fill in, which works without JavaScript too.
        return 1 if obj is None else 0


class WritersOnly:
    """An inline of the text's own parts (the byline): read-only without the write permission."""

    def has_add_permission(self, request, obj=None):
        return may_write(request.user) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return may_write(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_write(request.user) and super().has_delete_permission(request, obj)


class AuthorshipInline(WritersOnly, OrderedInline):
    model = Authorship
    formset = BylineFormSet
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    verbose_name = "author"
    verbose_name_plural = "authors (in byline order)"

    def get_queryset(self, request):
        # Each row shows its author.
        return super().get_queryset(request).select_related("author")


class RelatedPickInline(OrderedInline):
    model = RelatedPick
    form = RelatedPickForm
    fk_name = "from_publication"
    fields = ["to_publication", "visibility", "position"]
    readonly_fields = ["visibility"]
    autocomplete_fields = ["to_publication"]
    verbose_name_plural = "related publications picked by hand (shown first, in this order)"

    def get_queryset(self, request):
        # Each row shows the pick and whether it is public.
        return super().get_queryset(request).select_related("to_publication")

    @admin.display(description="shown to readers")
    def visibility(self, pick):
        """Whether readers see the pick: a pick that is not public is left out for them."""
        if pick.pk is None:
            return ""
        picked = pick.to_publication
        state = picked.state
        if state == Publication.State.PUBLIC:
            return "yes"
        if state == Publication.State.SCHEDULED:
            return f"not public: scheduled for {timezone.localdate(picked.published_at)}"
        return f"not public: {state.label.lower()}"
