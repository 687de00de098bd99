"""The CMS: publications with their byline and curated picks, regions, types and tags."""

from datetime import MAXYEAR, MINYEAR, date

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from js_asset import Media
from reversion.models import Version
from taggit.models import Tag

from thinktank.building_blocks.versioned_admin import VersionAdmin

from ..models import (
    BYLINE_PREFETCH,
    Authorship,
    OldSlug,
    Publication,
    PublicationType,
    Region,
    RelatedPick,
    TaggedPublication,
)
from ..policy import (
    PUBLISHERS_PARTS,
    WRITERS_PARTS,
    may_change,
    may_publish,
    may_write,
    refusals,
    why_not,
)
from ..receivers import changed_in_bulk
from ..related import related_publications
from ..templatetags.rich_text import rich_text
from .forms import TagAutocompleteWidget, TagNamesField
from .history import change_summaries, changes_restoring, last_saved, when


class OrderedInlineFormSet(forms.BaseInlineFormSet):
    """Rows ordered by their `position`; a row whose position another row already has
    (a new row left at 0) takes the next free one, in the order the rows are shown."""

    def clean(self):
        super().clean()
        taken = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form in self.deleted_forms:
                continue
            if form.instance.pk is None and not form.has_changed():
                continue  # an empty extra row
            position = form.cleaned_data.get("position") or 0
            if position in taken:
                position = max(taken) + 1
                form.instance.position = form.cleaned_data["position"] = position
                if "position" not in form.changed_data:
                    # An unchanged row is not saved unless the formset knows it changed.
                    form.changed_data.append("position")
            taken.add(position)


class OrderedInline(admin.TabularInline):
    """An inline ordered by `position`: drag, or "Move up"/"Move down", with JavaScript
    (static/js/reorder.js writes the numbers); the numbers alone without it."""

    formset = OrderedInlineFormSet
    ordering = ["position", "pk"]
    classes = ["reorderable"]
    extra = 1

    class Media:
        js = ["js/reorder.js"]


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
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    verbose_name = "author"
    verbose_name_plural = "authors (in byline order)"

    def get_queryset(self, request):
        # Each row shows its name ("author on publication").
        return super().get_queryset(request).select_related("author", "publication")


class RelatedPickForm(forms.ModelForm):
    def clean_to_publication(self):
        chosen = self.cleaned_data["to_publication"]
        # A pick readers would not see is refused when chosen; one that was public
        # when picked and is not any more stays, marked (RelatedPickInline.visibility).
        if chosen and "to_publication" in self.changed_data and not chosen.is_public:
            raise forms.ValidationError(
                f"“{chosen}” is not published, so readers would not see it. "
                "Pick a published publication."
            )
        return chosen


class RelatedPickInline(OrderedInline):
    model = RelatedPick
    form = RelatedPickForm
    fk_name = "from_publication"
    fields = ["to_publication", "visibility", "position"]
    readonly_fields = ["visibility"]
    autocomplete_fields = ["to_publication"]
    verbose_name_plural = "related publications picked by hand (shown first, in this order)"

    def get_queryset(self, request):
        # Each row shows the pick's name ("A → B") and whether B is public.
        return super().get_queryset(request).select_related("from_publication", "to_publication")

    @admin.display(description="shown to readers")
    def visibility(self, pick):
        """Whether readers see the pick: a pick that is not public is left out for them."""
        if pick.pk is None:
            return ""
        picked = pick.to_publication
        if picked.is_public:
            return "yes"
        if picked.status == Publication.Status.PUBLISHED:
            return f"not public: scheduled for {timezone.localdate(picked.published_at)}"
        return f"not public: {picked.get_status_display().lower()}"


class PublicationForm(forms.ModelForm):
    """The change form. It refuses what its user may not do, whatever was posted, and a
    save from a form opened before someone else's save (it carries the edit number it
    was opened at)."""

    user = None  # PublicationAdmin.get_form sets the user of the request

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = self.instance.edit_version
        status = self.fields.get("status")
        if status is not None and not may_publish(self.user):
            # Only the menu: a posted "published" still reaches clean(), which says why not.
            status.widget.choices = [
                choice for choice in status.choices if choice[0] != Publication.Status.PUBLISHED
            ]

    def clean(self):
        cleaned_data = super().clean()
        self._refuse_what_the_user_may_not_do(cleaned_data)
        self._refuse_a_stale_save(cleaned_data)
        return cleaned_data

    def _refuse_what_the_user_may_not_do(self, cleaned_data):
        # self.instance still holds what is stored: _post_clean() copies the form in later.
        changes = {name: cleaned_data.get(name) for name in self.changed_data}
        for part, why in refusals(self.user, self.instance, changes).items():
            if part is None:
                raise ValidationError(why)
            self.add_error(part, why)

    def _refuse_a_stale_save(self, cleaned_data):
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


class MinePublicationsFilter(admin.SimpleListFilter):
    title = "whose publications"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "My publications (created by me or in my byline)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.created_or_written_by(request.user)
        return queryset


# What only a writer may change; a curator sees these read-only (the body as readers do,
# the byline in its read-only inline).
WRITERS_FIELDS = [
    "formatted_body" if part == "body" else part for part in WRITERS_PARTS if part != "byline"
]


class DateHierarchyChangeList(ChangeList):
    """A changelist whose date hierarchy refuses dates outside the calendar as it
    refuses any filter it cannot use (?e=1), rather than answering 500.

    Django builds the range from the year, month and day asked: from that date to a
    year, month or day later, made aware in the site's time zone. A year, month or
    day past a C int, year 9999 (its range ends in year 10000) and year 1 east of UTC
    (before the first UTC date) crash it. Years 2 to 9998 leave room on both sides.
    """

    def get_filters(self, request):
        params = self.get_filters_params()
        year, month, day = (
            params.get(f"{self.date_hierarchy}__{part}") for part in ("year", "month", "day")
        )
        if year is not None:
            try:
                start = date(*(int(part[-1]) if part else 1 for part in (year, month, day)))
            except (ValueError, OverflowError) as error:
                raise IncorrectLookupParameters(error) from error
            if not MINYEAR < start.year < MAXYEAR:
                raise IncorrectLookupParameters(f"{start.year} is too close to the calendar's ends")
        return super().get_filters(request)


@admin.register(Publication)
class PublicationAdmin(VersionAdmin):
    form = PublicationForm
    object_history_template = "admin/publications/publication/object_history.html"
    history_latest_first = True
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
                    "keep_out_of_suggestions",
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
                    "What readers see under “Related Publications”. “Pin” saves the form "
                    "and adds a suggestion to the picks below, which come first, in your "
                    "order."
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

    def restore_refusal(self, request, version):
        # Restoring (or recovering) is a change from the publication as it is now (or
        # from nothing) to the version, by this user: the same policy as the form's,
        # for every part the version holds (the restored form is then checked again,
        # from the version to what is posted, as any save is). A version is restored
        # with its whole revision: a bulk action's holds every publication it changed,
        # and each of them is restored too.
        if not self.has_change_permission(request):
            raise PermissionDenied
        reasons = []
        for saved in version.revision.version_set.filter(content_type=version.content_type):
            why = self._refusals_restoring(request, saved)
            if saved.pk != version.pk:
                why = [f"Restoring it also restores “{saved.object_repr}”: {each}" for each in why]
            reasons += why
        return " ".join(dict.fromkeys(reasons)) or None

    def _refusals_restoring(self, request, version):
        publication = Publication.objects.filter(pk=version.object_id).first()
        if publication is None and not self.has_add_permission(request):
            return ["You may not bring back a deleted publication."]
        publication = publication or Publication()
        changes = changes_restoring(publication, version)
        return list(refusals(request.user, publication, changes).values())

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Restoring first rewrites the row from the version, and the version does not
        # hold the edit number: keep the one the row has now, so that the restore form
        # is checked against it like any other form, and the number never goes back.
        current = self.get_object(request, unquote(object_id))
        request.edit_version_before_restore = current and current.edit_version
        return super().revision_view(request, object_id, version_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        publication = super().get_object(request, object_id, from_field)
        before = getattr(request, "edit_version_before_restore", None)
        if publication is not None and before is not None and publication.edit_version != before:
            Publication.objects.filter(pk=publication.pk).update(edit_version=before)
            publication.edit_version = before
        return publication

    # Who may do what (publications.roles has the groups).

    def has_publish_permission(self, request):
        return may_publish(request.user)

    def has_write_permission(self, request):
        return may_write(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_change(request.user, obj)

    def has_order_featured_permission(self, request):
        return self.has_change_permission(request) and not why_not(
            request.user, "featured_position"
        )

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
                fields += PUBLISHERS_PARTS
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
        # Submit buttons of the change form itself (the panel is inside its <form>):
        # the form is saved, then the pick added or removed (save_related).
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> <span class="help">({})</span> — {} '
            '<button type="submit" class="button" name="{}" value="{}" aria-label="{} “{}”">'
            "{}</button></li>",
            (
                (
                    reverse(
                        "admin:publications_publication_change", args=[suggestion.publication.pk]
                    ),
                    suggestion.publication.title,
                    timezone.localdate(suggestion.publication.published_at).isoformat(),
                    "; ".join(suggestion.reasons),
                    "_unpin" if suggestion.curated else "_pin",
                    suggestion.publication.pk,
                    "Unpin" if suggestion.curated else "Pin",
                    suggestion.publication.title,
                    "Unpin" if suggestion.curated else "Pin",
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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            return db_field.formfield(
                form_class=TagNamesField,
                widget=TagAutocompleteWidget(reverse("admin:publications_publication_tags")),
                help_text="Type to find a tag (with how many publications use it), or "
                "add a new one. Shared tags decide what is suggested as related.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # Curation: pins from the suggestions panel, the picks autocomplete, the featured
    # order and the tag look-up.

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for action in ("_pin", "_unpin"):
            if action in request.POST:
                request.curation_message = self._pin(request, form.instance, action)

    def _pin(self, request, publication, action):
        """Pin or unpin the publication whose id the button sent; returns what to tell."""
        refusal = why_not(request.user, "picks")
        if refusal:
            return messages.ERROR, refusal
        # Any pick may be unpinned; only what readers can see may be pinned.
        choices = (
            Publication.objects.all() if action == "_unpin" else Publication.objects.published()
        )
        try:
            chosen = choices.get(pk=int(request.POST[action]))
        except (ValueError, Publication.DoesNotExist):
            return messages.ERROR, "That publication is no longer published, so it was not pinned."
        picks = RelatedPick.objects.filter(from_publication=publication)
        if action == "_unpin":
            picks.filter(to_publication=chosen).delete()
            return messages.SUCCESS, f"Unpinned “{chosen}”."
        if chosen.pk == publication.pk:
            return messages.ERROR, "A publication cannot be related to itself."
        if not picks.filter(to_publication=chosen).exists():
            last = picks.aggregate(last=Max("position"))["last"]
            RelatedPick.objects.create(
                from_publication=publication,
                to_publication=chosen,
                position=0 if last is None else last + 1,
            )
        place = list(
            picks.filter(to_publication__in=Publication.objects.published()).values_list(
                "to_publication", flat=True
            )
        ).index(chosen.pk)
        where = "first" if place == 0 else f"at position {place + 1}"
        return messages.SUCCESS, f"Pinned “{chosen}”: readers see it {where}."

    def response_change(self, request, obj):
        if hasattr(request, "curation_message"):
            level, message = request.curation_message
            self.message_user(request, message, level=level)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        picking = (
            request.resolver_match.view_name == "admin:autocomplete"
            and request.GET.get("model_name") == "relatedpick"
            and request.GET.get("field_name") == "to_publication"
        )
        if picking:
            # Readers never see a pick that is not public, so none is offered.
            queryset = queryset & Publication.objects.published()
        return queryset, may_have_duplicates

    def get_changelist(self, request, **kwargs):
        return DateHierarchyChangeList

    def changelist_view(self, request, extra_context=None):
        context = {
            "may_order_featured": self.has_order_featured_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("featured-order/", view(self.featured_order), name="publications_featured_order"),
            path("tags/", view(self.tag_names), name="publications_publication_tags"),
            *super().get_urls(),
        ]

    def tag_names(self, request):
        """The tags whose names hold `term`, most used first, for the tag widget."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        term = " ".join(request.GET.get("term", "")[:100].split())
        tags = (
            Tag.objects.filter(name__icontains=term)
            .annotate(count=Count("publications_taggedpublication_items"))
            .order_by("-count", "name")[:20]
        )
        return JsonResponse(
            {"results": [{"id": tag.name, "text": tag.name, "count": tag.count} for tag in tags]}
        )

    def featured_order(self, request):
        """The featured publications in the home page's order, for curators to reorder."""
        if not self.has_order_featured_permission(request):
            raise PermissionDenied
        featured = list(Publication.objects.featured().select_related("publication_type"))
        if request.method == "POST":
            error = self._save_featured_order(request, featured)
            if error is None:
                self.message_user(request, "The featured order is saved.")
                return HttpResponseRedirect(request.path)
            self.message_user(request, error, level=messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "title": "Featured order",
            "opts": self.opts,
            "featured": featured,
            "media": self.media + forms.Media(js=["js/reorder.js"]),
        }
        return TemplateResponse(
            request, "admin/publications/publication/featured_order.html", context
        )

    def _save_featured_order(self, request, featured):
        """Save the positions posted for `featured`; returns an error message or None."""
        positions = {}
        for publication in featured:
            # One featured since the page was shown keeps its place.
            value = request.POST.get(f"{publication.pk}-position", "").strip()
            value = value or str(publication.featured_position)
            if not (value.isascii() and value.isdigit()) or int(value) > 32767:
                return f"The position of “{publication}” must be a whole number from 0 to 32767."
            positions[publication.pk] = int(value)
        with transaction.atomic():
            for publication in featured:
                if publication.featured_position != positions[publication.pk]:
                    publication.featured_position = positions[publication.pk]
                    publication.save(update_fields=["featured_position"])
        return None


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
