"""The CMS: publications with their byline and curated picks, regions, types and tags."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from js_asset import Media
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.models import Tag

from .caching import content_changed
from .history import change_summaries, last_saved, when
from .models import (
    BYLINE_PREFETCH,
    Authorship,
    OldSlug,
    Publication,
    PublicationType,
    Region,
    RelatedPick,
    TaggedPublication,
)
from .related import related_publications
from .search import refresh_search_documents


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    fields = ["author", "position"]
    ordering = ["position", "pk"]
    autocomplete_fields = ["author"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "authors (in byline order)"

    def get_queryset(self, request):
        # Each row's title names its author and publication (Authorship.__str__).
        return super().get_queryset(request).select_related("author", "publication")


class RelatedPickInline(admin.TabularInline):
    model = RelatedPick
    fk_name = "from_publication"
    fields = ["to_publication", "position"]
    ordering = ["position", "pk"]
    autocomplete_fields = ["to_publication"]
    extra = 1
    verbose_name_plural = "related publications picked by hand (shown first, in this order)"


class PublicationForm(forms.ModelForm):
    """The change form, carrying the edit number it was opened at (see clean())."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = self.instance.edit_version

    def clean(self):
        cleaned_data = super().clean()
        # The admin validates and saves in one transaction: from here until it commits,
        # nobody else can save this publication, and a form opened before someone
        # else's save is refused, so neither person's text is overwritten.
        if self.instance.pk is not None and not Publication.objects.lock_if_unchanged(
            self.instance.pk, cleaned_data.get("edit_version")
        ):
            who, at = last_saved(Publication.objects.get(pk=self.instance.pk))
            raise ValidationError(
                f"{who} saved this publication at {when(at)}, after you opened it. "
                "Your changes are NOT saved; they are still in this form: copy what you "
                "need, reload, and apply them again.",
                code="edited_meanwhile",
            )
        return cleaned_data


@admin.register(Publication)
class PublicationAdmin(VersionAdmin):
    form = PublicationForm
    object_history_template = "admin/publications/publication/object_history.html"
    history_latest_first = True
    inlines = [AuthorshipInline, RelatedPickInline]
    list_display = ["title", "publication_type", "status", "published_at", "byline", "is_featured"]
    # Years (and months) come from date_hierarchy, so no year filter beside it.
    list_filter = ["status", "publication_type", "regions", "is_featured"]
    search_fields = ["title", "lead", "authors__name", "tags__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["regions"]
    readonly_fields = ["suggested_related", "created_by", "created_at", "updated_at"]
    list_per_page = 50
    save_on_top = True
    actions = ["publish_now"]

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/local-copy.js"]

    fieldsets = [
        ("Content", {"fields": ["title", "slug", "publication_type", "lead", "body"]}),
        (
            "People & topics",
            {
                "fields": ["regions", "tags"],
                "description": "The byline is set in “Authors (in byline order)” just above.",
            },
        ),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "published_at",
                    ("is_featured", "featured_position"),
                    ("created_by", "created_at", "updated_at"),
                ]
            },
        ),
        ("Files & images", {"fields": ["cover_image", "cover_image_alt", "pdf"]}),
        ("Search engines", {"fields": ["seo_description"], "classes": ["collapse"]}),
        (
            "Related publications",
            {
                "fields": ["suggested_related"],
                "description": (
                    "What readers see under “Related Publications”. To change it, pick "
                    "publications by hand below: picks come first, in your order."
                ),
            },
        ),
    ]

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor's import map is an inline script: under the content security
        # policy it runs only with this request's nonce (admin pages are never cached).
        context["media"] = Media.from_media(context["media"], nonce=str(request.csp_nonce))
        return super().render_change_form(request, context, *args, **kwargs)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200:
            versions = Version.objects.get_for_object_reference(
                Publication, unquote(object_id)
            ).select_related("revision")
            summaries = change_summaries(versions)
            for action in response.context_data["action_list"]:
                action["summary"] = summaries.get(action["revision"].pk, "")
        return response

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Restoring is a change to the publication as it is now: whoever may not change
        # it (an analyst, once it is published) may not restore any version over it.
        # The form itself is then checked against the version's state, as any save is.
        current = self.get_object(request, unquote(object_id))
        if current is not None and not self.has_change_permission(request, current):
            raise PermissionDenied
        # Restoring first rewrites the row from the version, and the version does not
        # hold the edit number: keep the one the row has now, so that the restore form
        # is checked against it like any other form, and the number never goes back.
        request.edit_version_before_restore = current and current.edit_version
        return super().revision_view(request, object_id, version_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        publication = super().get_object(request, object_id, from_field)
        before = getattr(request, "edit_version_before_restore", None)
        if publication is not None and before is not None:
            Publication.objects.filter(pk=publication.pk).update(edit_version=before)
            publication.edit_version = before
        return publication

    def get_queryset(self, request):
        # Everything the changelist's columns show, in two queries for any page size.
        return (
            super()
            .get_queryset(request)
            .select_related("publication_type")
            .prefetch_related(BYLINE_PREFETCH)
        )

    @admin.display(description="authors")
    def byline(self, obj):
        return ", ".join(author.name for author in obj.byline)

    @admin.display(description="suggested related publications")
    def suggested_related(self, obj):
        if obj is None or obj.pk is None:
            return "Suggestions appear here after the first save."
        suggestions = related_publications(obj)
        if not suggestions:
            return (
                "Nothing to suggest yet: no other published publication. "
                "Suggestions come from shared tags and regions."
            )
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> <span class="help">({})</span> — {}</li>',
            (
                (
                    reverse(
                        "admin:publications_publication_change", args=[suggestion.publication.pk]
                    ),
                    suggestion.publication.title,
                    timezone.localdate(suggestion.publication.published_at).isoformat(),
                    "; ".join(suggestion.reasons),
                )
                for suggestion in suggestions
            ),
        )
        return format_html('<ol class="suggested-related">{}</ol>', items)

    @admin.action(description="Publish selected publications now", permissions=["change"])
    def publish_now(self, request, queryset):
        waiting = queryset.exclude(pk__in=Publication.objects.published())
        with transaction.atomic():
            for publication in waiting:
                publication.publish()
                publication.save()
        self.message_user(request, f"Published {len(waiting)} publication(s) now.")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


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
    fields = ["name", "plural_label", "slug", "sort_order"]


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
        slug = self.fields["slug"]
        slug.required = False
        slug.help_text = "Part of the tag's page address. Leave blank to make one from the name."


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

    @admin.action(description="Merge selected tags into the most used one")
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
                content_changed()  # update() sends no signals
                OldSlug.objects.hand_over(other, keep)
                refresh_search_documents(moving)
                other.delete()
        self.message_user(
            request,
            f"Merged {', '.join(tag.name for tag in others)} into {keep.name}.",
        )
