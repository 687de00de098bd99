"""The CMS: publications with their byline and curated picks, regions, types and tags."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from js_asset import Media
from taggit.models import Tag

from .caching import content_changed
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
from .roles import PUBLISH, WRITE
from .search import refresh_search_documents
from .templatetags.rich_text import rich_text


def may_publish(user):
    return user.has_perm(PUBLISH)


def may_write(user):
    return user.has_perm(WRITE)


def may_change_published(user):
    """Analysts (who write but do not publish) may not touch a published or scheduled
    item; editors may, and curators may change its picks, tags, regions and order."""
    return may_publish(user) or not may_write(user)


class WritersOnly:
    """An inline of the text's own parts (the byline): read-only without the write permission."""

    def has_add_permission(self, request, obj=None):
        return may_write(request.user) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return may_write(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_write(request.user) and super().has_delete_permission(request, obj)


class AuthorshipInline(WritersOnly, admin.TabularInline):
    model = Authorship
    fields = ["author", "position"]
    ordering = ["position", "pk"]
    autocomplete_fields = ["author"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "authors (in byline order)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "publication")


class RelatedPickInline(admin.TabularInline):
    model = RelatedPick
    fk_name = "from_publication"
    fields = ["to_publication", "position"]
    ordering = ["position", "pk"]
    autocomplete_fields = ["to_publication"]
    extra = 1
    verbose_name_plural = "related publications picked by hand (shown first, in this order)"

    def get_queryset(self, request):
        # Each row is named after both ends ("A → B").
        return super().get_queryset(request).select_related("from_publication", "to_publication")


class PublicationAdminForm(forms.ModelForm):
    """The change form, which refuses what its user may not do, whatever was posted."""

    user = None  # PublicationAdmin.get_form sets the user of the request

    # Fields only a publisher may change; the featured order is also the curators'.
    PUBLISHING_FIELDS = ["published_at", "is_featured", "featured_position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is not None and not may_publish(self.user):
            # Only the menu: a posted "published" still reaches clean(), which says why not.
            status.widget.choices = [
                choice for choice in status.choices if choice[0] != Publication.Status.PUBLISHED
            ]

    def clean(self):
        cleaned_data = super().clean()
        try:
            Publication.check_may_publish(self.user)
        except PermissionDenied as refusal:
            reason = str(refusal)
        else:
            return cleaned_data
        # self.instance still holds what is stored: _post_clean() copies the form in later.
        stored_status = self.instance.pk and self.instance.status
        if stored_status == Publication.Status.PUBLISHED and not may_change_published(self.user):
            raise ValidationError(
                f"“{self.instance}” is published or scheduled, so only an editor may change it."
            )
        if cleaned_data.get("status") == Publication.Status.PUBLISHED:
            self.add_error("status", reason)
        for name in self.PUBLISHING_FIELDS:
            if name == "featured_position" and not may_write(self.user):
                continue  # a curator's
            if name in self.changed_data:
                self.add_error(name, reason)
        return cleaned_data


class MinePublicationsFilter(admin.SimpleListFilter):
    title = "whose publications"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "My publications (created by me or in my byline)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.created_or_written_by(request.user)
        return queryset


# What only a writer may change; a curator sees these read-only (the body as readers do).
WRITERS_FIELDS = [
    "title",
    "slug",
    "publication_type",
    "lead",
    "formatted_body",
    "cover_image",
    "cover_image_alt",
    "pdf",
    "seo_description",
]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    form = PublicationAdminForm
    inlines = [AuthorshipInline, RelatedPickInline]
    list_display = [
        "title",
        "publication_type",
        "status_label",
        "publish_date",
        "byline",
        "is_featured",
    ]
    # Years (and months) come from date_hierarchy, so no year filter beside it.
    list_filter = [MinePublicationsFilter, "status", "publication_type", "regions", "is_featured"]
    search_fields = ["title", "lead", "authors__name", "tags__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["regions"]
    readonly_fields = ["suggested_related", "created_by", "created_at", "updated_at"]
    list_per_page = 50
    save_on_top = True
    actions = ["send_for_review", "publish_now", "unpublish", "feature", "unfeature"]

    class Media:
        css = {"all": ["css/admin.css"]}

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

    # Who may do what (publications.roles has the groups).

    def has_publish_permission(self, request):
        return may_publish(request.user)

    def has_write_permission(self, request):
        return may_write(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or obj.status != Publication.Status.PUBLISHED:
            return True
        return may_change_published(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # A class made for this request (modelform_factory), so the user does not leak.
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not may_write(request.user):
            fields += WRITERS_FIELDS
            if not may_publish(request.user):
                fields += ["status", "published_at", "is_featured"]
        return fields

    def get_fieldsets(self, request, obj=None):
        if may_write(request.user):
            return self.fieldsets
        # Read-only, the body is shown formatted rather than as HTML source.
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        "formatted_body" if field == "body" else field
                        for field in options["fields"]
                    ],
                },
            )
            for name, options in self.fieldsets
        ]

    @admin.display(description="body")
    def formatted_body(self, obj):
        return rich_text(obj.body)

    def get_prepopulated_fields(self, request, obj=None):
        return super().get_prepopulated_fields(request, obj) if may_write(request.user) else {}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if (
                obj is not None
                and self.has_view_permission(request, obj)
                and not self.has_change_permission(request, obj)
            ):
                # Django would answer a bare 403; say why, and show the item as it is.
                self.message_user(
                    request,
                    f"Nothing was saved: “{obj}” is published or scheduled, "
                    "so only an editor may change it.",
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.get_full_path())
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request):
        # Everything the changelist's columns show, in two queries for any page size.
        return (
            super()
            .get_queryset(request)
            .select_related("publication_type")
            .prefetch_related(BYLINE_PREFETCH)
        )

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            when = date_format(timezone.localtime(obj.published_at), "j M Y, H:i")
            return f"Scheduled for {when}"
        return obj.get_status_display()

    @admin.display(description="publish date", ordering="published_at")
    def publish_date(self, obj):
        # The day is enough in a list; the status column has a scheduled item's hour.
        return obj.published_at and date_format(timezone.localtime(obj.published_at), "j M Y")

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

    # Bulk actions: each item is checked on its own, and the message says which were refused.

    def _each(self, request, queryset, change, *, done):
        """Apply `change(publication)` to each: it returns None when done, or why it
        left the item alone; a permission the user lacks refuses the item."""
        changed, not_changed = [], {}
        with transaction.atomic():
            for publication in queryset:
                if not self.has_change_permission(request, publication):
                    outcome = "Refused", "you may not change published items"
                else:
                    try:
                        reason = change(publication)
                    except PermissionDenied:  # publish() and its siblings check
                        outcome = "Refused", "you may not publish"
                    else:
                        outcome = reason and ("Skipped", reason)
                if outcome:
                    not_changed.setdefault(outcome, []).append(publication)
                else:
                    publication.save()
                    changed.append(publication)
        noun = "publication" if len(changed) == 1 else "publications"
        self.message_user(request, f"{done} {len(changed)} {noun}.", messages.SUCCESS)
        for (verb, reason), publications in not_changed.items():
            self.message_user(
                request,
                f"{verb} {len(publications)} ({reason}): "
                + ", ".join(str(publication) for publication in publications),
                messages.WARNING,
            )

    @admin.action(description="Send selected drafts for review", permissions=["write"])
    def send_for_review(self, request, queryset):
        def send(publication):
            if publication.status != Publication.Status.DRAFT:
                return "not a draft"
            publication.status = Publication.Status.REVIEW

        self._each(request, queryset, send, done="Sent for review")

    @admin.action(description="Publish selected publications now", permissions=["publish"])
    def publish_now(self, request, queryset):
        def publish(publication):
            if publication.is_public:
                return "already public"  # and keeps its publish date
            publication.publish(by=request.user)

        self._each(request, queryset, publish, done="Published")

    @admin.action(description="Unpublish selected publications", permissions=["publish"])
    def unpublish(self, request, queryset):
        def unpublish(publication):
            if publication.status != Publication.Status.PUBLISHED:
                return "not published"
            publication.unpublish(by=request.user)

        self._each(request, queryset, unpublish, done="Unpublished")

    @admin.action(description="Feature selected publications", permissions=["publish"])
    def feature(self, request, queryset):
        self._each(request, queryset, self._featuring(request, True), done="Featured")

    @admin.action(description="Stop featuring selected publications", permissions=["publish"])
    def unfeature(self, request, queryset):
        self._each(request, queryset, self._featuring(request, False), done="Unfeatured")

    @staticmethod
    def _featuring(request, featured):
        def change(publication):
            Publication.check_may_publish(request.user)
            if publication.is_featured == featured:
                return "already featured" if featured else "not featured"
            publication.is_featured = featured

        return change

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if obj.status == Publication.Status.PUBLISHED and {"status", "published_at"} & set(
            form.changed_data
        ):
            # The form has refused this already; the model's rule has the last word.
            Publication.check_may_publish(request.user)
        super().save_model(request, obj, form, change)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "sort_order"]
    list_editable = ["sort_order"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fields = ["name", "slug", "parent", "description", "sort_order"]


@admin.register(PublicationType)
class PublicationTypeAdmin(admin.ModelAdmin):
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
