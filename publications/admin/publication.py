"""The publication admin: its changelist, change form, history and bulk actions."""

from datetime import MAXYEAR, MINYEAR, date

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.main import ChangeList
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html, format_html_join
from js_asset import Media

from thinktank.building_blocks.versioned_admin import VersionAdmin

from .. import policy
from ..models import BYLINE_PREFETCH, Publication
from ..templatetags.rich_text import rich_text
from . import workflow
from .curation import PublicationCuration
from .forms import ANYWAY_BUTTON, SCHEDULE_FIELDS, WORKFLOW_BUTTON, PublicationForm
from .inlines import AuthorshipInline, RelatedPickInline
from .versions import PublicationHistory


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


# Each role sees the form's fields it may change as boxes, and the others as text, or
# not at all where the text would say nothing (publications.policy.refusals decides
# which are which). The form's fields are the policy's parts under these names:
POLICY_PARTS = {"suggested_related": "picks"}
# Read-only, a field is shown as readers see it: the body formatted, not as HTML source;
# the suggestions without their Pin buttons.
READ_ONLY_AS = {"body": "formatted_body", "suggested_related": "suggestions"}
# Read-only, these are shown only where their value tells something, and the fields of
# their row go with them: the publish date of what is scheduled or published (a draft's
# is left from before it was unpublished: publishing sets a new one), and whether and
# where it is featured, once it is.
READ_ONLY_ONLY_IF = {
    "published_at": lambda publication: (
        publication.state in (Publication.State.SCHEDULED, Publication.State.PUBLIC)
    ),
    "is_featured": lambda publication: publication.is_featured,
}


def _row_fields(row):
    return list(row) if isinstance(row, (list, tuple)) else [row]


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
class PublicationAdmin(PublicationCuration, PublicationHistory, VersionAdmin):
    form = PublicationForm
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
        js = ["js/local-copy.js", "js/accessible-names.js", "js/pin.js"]

    fieldsets = [
        ("Content", {"fields": ["title", "slug", "publication_type", "lead", "body"]}),
        (
            "People & topics",
            {
                "fields": ["regions", "tags"],
                "description": "The byline is in “Authors (in byline order)” just above.",
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
                    "What readers see under “Related Publications”: the picks below "
                    "first, in their order, then these suggestions."
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

    # Who may do what: publications.policy answers, these only ask it.

    def has_publish_permission(self, request):
        return self.has_change_permission(request) and policy.may_publish(request.user)

    def has_write_permission(self, request):
        return self.has_change_permission(request) and policy.may_write(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or policy.may_change(request.user, obj)

    def why_read_only(self, request, obj=None):
        """{field: why} for the form's fields this user may not change on `obj` (a new
        publication if None): the policy's sentence for each, or for them all."""
        fields = flatten_fieldsets(self.fieldsets)
        parts = {POLICY_PARTS.get(field, field): field for field in fields}
        refused = policy.refusals(request.user, obj or Publication(), dict.fromkeys(parts))
        if None in refused:
            return dict.fromkeys(fields, refused[None])
        return {parts[part]: why for part, why in refused.items()}

    def get_readonly_fields(self, request, obj=None):
        return [
            *super().get_readonly_fields(request, obj),
            *(READ_ONLY_AS.get(field, field) for field in self.why_read_only(request, obj)),
        ]

    def get_fieldsets(self, request, obj=None):
        """The fieldsets as this user meets them: what they may not change shown as text
        (READ_ONLY_AS) or left out (READ_ONLY_ONLY_IF), and why, said once for the form
        in the first fieldset it concerns."""
        publication = obj or Publication()
        read_only = self.why_read_only(request, obj)

        def tells_something(row):
            return all(
                field not in read_only
                or field not in READ_ONLY_ONLY_IF
                or READ_ONLY_ONLY_IF[field](publication)
                for field in _row_fields(row)
            )

        def shown(field):
            return READ_ONLY_AS.get(field, field) if field in read_only else field

        fieldsets, said = [], set()
        for name, options in self.fieldsets:
            rows = [row for row in options["fields"] if tells_something(row)]
            if not rows:
                continue
            reasons = [
                why
                for why in dict.fromkeys(
                    read_only[field]
                    for row in rows
                    for field in _row_fields(row)
                    if field in read_only
                )
                if why not in said
            ]
            said.update(reasons)
            description = " ".join(filter(None, [options.get("description"), *reasons]))
            fields = [
                tuple(map(shown, row)) if isinstance(row, (list, tuple)) else shown(row)
                for row in rows
            ]
            # Django's template shows a description as HTML; a reason may quote a title.
            fieldsets.append(
                (name, {**options, "fields": fields, "description": escape(description)})
            )
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        # A field its user may not change shows its value, not the help meant for who may.
        help_texts = dict.fromkeys(self.why_read_only(request, obj), "")
        form = super().get_form(request, obj, change, help_texts=help_texts, **kwargs)
        # A class made for this request (modelform_factory), so the user does not leak.
        form.user = request.user
        return form

    @admin.display(description="body")
    def formatted_body(self, obj):
        # As readers see it: static/css/admin.css gives .prose the article's styles.
        return format_html('<div class="prose">{}</div>', rich_text(obj.body))

    def get_prepopulated_fields(self, request, obj=None):
        read_only = self.why_read_only(request, obj)
        return {
            field: sources
            for field, sources in super().get_prepopulated_fields(request, obj).items()
            if field not in read_only
        }

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
