"""The topics publications are filed under: regions, types and tags (with their merge)."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Count
from taggit.models import Tag

from thinktank.building_blocks.versioned_admin import VersionAdmin

from ..models import OldSlug, PublicationType, Region, TaggedPublication
from ..receivers import changed_in_bulk


@admin.register(Region)
class RegionAdmin(VersionAdmin):
    list_display = ["name", "parent", "sort_order"]
    list_editable = ["sort_order"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fields = ["name", "slug", "parent", "description", "sort_order"]


@admin.register(PublicationType)
class PublicationTypeAdmin(VersionAdmin):
    list_display = ["name", "plural_label", "kind", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name", "plural_label"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "plural_label", "slug", "kind", "sort_order"]


# taggit's own Tag admin lists and merges generic TaggedItems, which our publications
# do not use (their tags live in TaggedPublication), so ours replaces it.
admin.site.unregister(Tag)


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # As on every other item: a name with no letters ("!!!") gets "tag", "tag-2"...
        slug = self.fields.get("slug")  # none when the form is read-only
        if slug is not None:
            slug.required = False
            slug.help_text = (
                "Part of the tag's page address. Leave blank to make one from the name."
            )


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagForm
    list_display = ["name", "slug", "publication_count"]
    ordering = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_tags"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(publication_count=Count("publications_taggedpublication_items"))
        )

    @admin.display(description="publications", ordering="publication_count")
    def publication_count(self, obj):
        return obj.publication_count

    @admin.action(
        description="Merge selected tags into the most used one", permissions=["change", "delete"]
    )
    def merge_tags(self, request, queryset):
        tags = sorted(queryset, key=lambda tag: (-tag.publication_count, tag.name))
        if len(tags) < 2:
            self.message_user(request, "Select at least two tags to merge.", level="warning")
            return
        keep, others = tags[0], tags[1:]
        with transaction.atomic():
            for other in others:
                # Publications already carrying `keep` lose the duplicate; the rest move over.
                already = TaggedPublication.objects.filter(tag=keep).values("content_object")
                TaggedPublication.objects.filter(tag=other, content_object__in=already).delete()
                moved = TaggedPublication.objects.filter(tag=other)
                moving = list(moved.values_list("content_object", flat=True))
                moved.update(tag=keep)
                changed_in_bulk(moving)  # update() sends no signals
                OldSlug.objects.hand_over(other, keep)
                other.delete()
        self.message_user(
            request,
            f"Merged {', '.join(tag.name for tag in others)} into {keep.name}.",
        )
