"""The publication admin: its changelist, change form, history and bulk actions."""

from datetime import MAXYEAR, MINYEAR, date

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from js_asset import Media
from reversion.models import Version

from thinktank.building_blocks.versioned_admin import VersionAdmin

from .. import policy
from ..models import BYLINE_PREFETCH, Publication
from ..templatetags.rich_text import rich_text
from . import workflow
from .curation import PublicationCuration
from .forms import ANYWAY_BUTTON, SCHEDULE_FIELDS, WORKFLOW_BUTTON, PublicationForm
from .history import change_summaries, changes_restoring
from .inlines import AuthorshipInline, RelatedPickInline


class MinePublicationsFilter(admin.SimpleListFilter):
    title = "whose publications"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "My publications (created by me or in my byline)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.created_or_written_by(request.user)
        return queryset


class StateFilter(admin.SimpleListFilter):
    """The status as readers meet it: "Published" split into what is public now and
    what is scheduled (Publication.State, PublicationQuerySet.in_state)."""

    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Publication.State.choices

    def queryset(self, request, queryset):
        state = self.value()
        if state is None:
            return queryset
        if state not in Publication.State.values:
            raise IncorrectLookupParameters(f"{state!r} is not a status")
        return queryset.in_state(state)


# A day is enough in a list, but a scheduled item's hour, and the latest edits', matter.
LIST_DAY = "j M Y"
LIST_MOMENT = "j M Y, H:i"


# What only a writer may change; a curator sees these read-only (the body as readers do,
# the byline in its read-only inline).
WRITERS_FIELDS = [
    "formatted_body" if part == "body" else part
    for part in policy.WRITERS_PARTS
    if part != "byline"
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
class PublicationAdmin(PublicationCuration, VersionAdmin):
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
        "last_edited",
    ]
    # Years (and months) come from date_hierarchy, so no year filter beside it.
    list_filter = [
        MinePublicationsFilter,
        StateFilter,
        "publication_type",
        "regions",
        "is_featured",
    ]
    # What was worked on last comes first, drafts included (Django adds -pk to break ties).
    ordering = ["-updated_at"]
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
                # The status changes by the workflow's buttons (the submit line).
                "fields": [
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
        publication = kwargs.get("obj") or Publication()
        context["workflow_buttons"] = [
            (name, workflow.BUTTONS[name])
            for name in policy.transitions_offered(request.user, publication)
        ]
        context["workflow_button"] = WORKFLOW_BUTTON
        context["time_zone"] = timezone.get_current_timezone_name()
        if publication.pk is not None:
            context["status_badge"] = workflow.badge(publication)
        form = context["adminform"].form
        if form.held:
            context["held"] = workflow.held_panel(*form.held)
            context["anyway_button"] = ANYWAY_BUTTON
            # Not an error to correct ("Please correct the error below"): the panel says it.
            held = form.non_field_errors()
            context["errors"] = [errors for errors in context["errors"] if errors is not held]
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
        return list(policy.refusals(request.user, publication, changes).values())

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

    # Who may do what: publications.policy answers, these only ask it.

    def has_publish_permission(self, request):
        return self.has_change_permission(request) and policy.may_publish(request.user)

    def has_write_permission(self, request):
        return self.has_change_permission(request) and policy.may_write(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or policy.may_change(request.user, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # A class made for this request (modelform_factory), so the user does not leak.
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not policy.may_write(request.user):
            fields += WRITERS_FIELDS
            if not policy.may_publish(request.user):
                fields += policy.PUBLISHERS_PARTS
        return fields

    def get_fieldsets(self, request, obj=None):
        if policy.may_write(request.user):
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
        if not policy.may_write(request.user):
            return {}
        return super().get_prepopulated_fields(request, obj)

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
                    f"Nothing was saved: {policy.only_editors_change(obj)}",
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.get_full_path())
        # Posted to its own address without the fragment the top's "Schedule…" link adds
        # (#id_schedule_date): the browser would carry it past the redirect, and open the
        # page at its foot, away from the message saying what was done.
        form_url = form_url or request.get_full_path()
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if obj.status == Publication.Status.PUBLISHED and {"status", "published_at"} & set(
            form.changed_data
        ):
            # The form has refused this already; the policy has the last word.
            policy.check_may_publish(request.user)
        if form.transition:
            # Checked by the form on the publication as stored; made on it as posted.
            policy.make(form.transition, obj, by=request.user, at=form.schedule_at)
            request.workflow_transition = form.transition
        super().save_model(request, obj, form, change)

    def construct_change_message(self, request, form, formsets, add=False):
        """Django's, for the History's comment: with the status a workflow button changed
        (not a field of the form), without the boxes that asked a schedule's time."""
        message = super().construct_change_message(request, form, formsets, add)
        asked = {form.fields[name].label for name in SCHEDULE_FIELDS if name in form.fields}
        for entry in message:
            if "changed" in entry:
                fields = entry["changed"]["fields"]
                fields[:] = [field for field in fields if field not in asked]
        message = [entry for entry in message if entry.get("changed", {}).get("fields") != []]
        if form.transition and not add:
            message.insert(0, {"changed": {"fields": ["status"]}})
        return message

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_the_workflow(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._after_the_workflow(request, obj) or super().response_change(request, obj)

    def _after_the_workflow(self, request, obj):
        """After a workflow button: say what it did, on the item's own form (a scheduled
        item is in no list of public ones); None after any other save."""
        name = getattr(request, "workflow_transition", None)
        if name is None:
            return None
        self.message_user(request, workflow.result(name, obj), messages.SUCCESS)
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        preserved = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return HttpResponseRedirect(add_preserved_filters(preserved, url))

    # The changelist.

    def get_changelist(self, request, **kwargs):
        return DateHierarchyChangeList

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
        # "Featured" as a word beside the status, and only where it is so.
        if obj.is_featured:
            return format_html('{} <span class="featured-mark">Featured</span>', obj.state.label)
        return obj.state.label

    @admin.display(description="publish date", ordering="published_at")
    def publish_date(self, obj):
        if obj.published_at is None:
            return None
        moment = LIST_MOMENT if obj.state == Publication.State.SCHEDULED else LIST_DAY
        return date_format(timezone.localtime(obj.published_at), moment)

    @admin.display(description="authors")
    def byline(self, obj):
        # Each name on one line: a line may break between names, never inside one.
        return format_html_join(
            ", ", '<span class="byline-name">{}</span>', ((author.name,) for author in obj.byline)
        )

    @admin.display(description="last edited", ordering="updated_at")
    def last_edited(self, obj):
        return date_format(timezone.localtime(obj.updated_at), LIST_MOMENT)

    # Bulk actions: the workflow's transitions (publications.policy), made on each item
    # on its own; the message says which were refused or skipped, and why.

    @admin.action(description="Send selected drafts for review", permissions=["write"])
    def send_for_review(self, request, queryset):
        self._each(request, queryset, policy.send_for_review, done="Sent for review")

    @admin.action(description="Publish selected publications now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self._each(request, queryset, policy.publish, done="Published")

    @admin.action(description="Unpublish selected publications", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._each(request, queryset, policy.unpublish, done="Unpublished")

    @admin.action(description="Feature selected publications", permissions=["publish"])
    def feature(self, request, queryset):
        self._each(request, queryset, policy.feature, done="Featured")

    @admin.action(description="Stop featuring selected publications", permissions=["publish"])
    def unfeature(self, request, queryset):
        self._each(request, queryset, policy.unfeature, done="Unfeatured")

    def _each(self, request, queryset, transition, *, done):
        """Make `transition` on each publication as this user, and save those it changed."""
        changed, not_changed = [], {}
        with transaction.atomic():
            for publication in queryset:
                try:
                    left_alone = transition(publication, by=request.user)
                except policy.Refused as refusal:
                    outcome = "Refused", refusal.briefly
                else:
                    outcome = left_alone and ("Skipped", left_alone)
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
