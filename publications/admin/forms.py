"""The admin's forms: the publication's change form, the picks' and orderable rows'
forms, and the tag field with its widget."""

import json
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminDateWidget, AdminTimeWidget
from django.core.exceptions import ValidationError
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from taggit.forms import TagField, TagWidget

from thinktank.building_blocks.versioned_admin import when

from ..checks import before_publishing
from ..models import Publication
from ..models.taxonomy import resolve_tag_names, tags_from_string
from ..policy import Refused, check_may_make, may_publish, refusals
from ..richtext.sanitize import refused_images
from .history import last_saved

# The name of the workflow's buttons; each posts its transition (policy.WORKFLOW).
WORKFLOW_BUTTON = "_workflow"
# The transitions that make a publication public. Pressed, they first list what is
# missing or odd (publications.checks), if anything, and wait for the same transition
# posted by the "… anyway" button.
CHECKED_FIRST = ("publish", "schedule")
ANYWAY_BUTTON = "_anyway"
# What the form says, not shown as an error: the panel by the buttons says the rest.
HELD = "Nothing is saved or published yet: see the note under the buttons at the top."
# The boxes "Schedule" reads its time from: asked, never stored as they are.
SCHEDULE_FIELDS = ("schedule_date", "schedule_time")
# The time to schedule for is in the site's time zone, which the page names here.
TIME_ZONE_NOTE = {"aria-describedby": "schedule-time-zone"}


class PublicationForm(forms.ModelForm):
    """The change form. It refuses what its user may not do, whatever was posted, and a
    save from a form opened before someone else's save (it carries the edit number it
    was opened at).

    The status is changed by the workflow's buttons, not a field: `transition` is the
    one pressed (a name in policy.WORKFLOW), checked here against the publication as
    stored, and `schedule_at` the moment "Schedule" publishes at;
    PublicationAdmin.save_model makes it. One of CHECKED_FIRST with something to say
    about the publication is `held` instead: (transition, sentences), nothing saved.
    """

    user = None  # PublicationAdmin.get_form sets the user of the request

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    # Read only with the "Schedule" button, and rendered beside it (the submit line).
    schedule_date = forms.DateField(
        label="Date", required=False, widget=AdminDateWidget(attrs=TIME_ZONE_NOTE)
    )
    schedule_time = forms.TimeField(
        label="Time", required=False, widget=AdminTimeWidget(attrs=TIME_ZONE_NOTE)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = self.instance.edit_version
        if not may_publish(self.user):
            for name in SCHEDULE_FIELDS:
                del self.fields[name]
        self.transition = self.schedule_at = self.held = None
        title = self.fields.get("title")
        if title is not None:
            # Writing starts at the title (the admin would focus the top Save button).
            title.widget.attrs["autofocus"] = True
        published_at = self.fields.get("published_at")
        if published_at is not None:
            # Django writes "Date:" and "Time:" beside its two boxes as text, not labels.
            for box, name in zip(published_at.widget.widgets, ["date", "time"], strict=True):
                box.attrs["aria-label"] = f"{capfirst(published_at.label)}: {name}"

    def clean_body(self):
        body = self.cleaned_data["body"]
        # Saving would drop these images (the sanitiser keeps only our own files), so the
        # save is refused instead, naming each one, with the text still in the form.
        refused = [
            ValidationError(
                "This image is not in the library: %(address)s. Upload it, or remove it.",
                code="image_not_in_library",
                params={"address": Truncator(address).chars(100)},
            )
            for address in refused_images(body)
        ]
        if refused:
            raise ValidationError(refused)
        return body

    def clean(self):
        cleaned_data = super().clean()
        self._refuse_what_the_user_may_not_do(cleaned_data)
        self.transition = self._transition_asked(cleaned_data)
        self._refuse_a_stale_save(cleaned_data)
        return cleaned_data

    def _transition_asked(self, cleaned_data):
        """The workflow button pressed, if its user may press it on this publication as
        stored; None, with the error saying why, if not."""
        name = self.data.get(WORKFLOW_BUTTON) or self.data.get(ANYWAY_BUTTON)
        day, time = cleaned_data.get("schedule_date"), cleaned_data.get("schedule_time")
        if not name:
            if day or time:
                # Enter in the date box presses the form's first button, which is Save.
                self.add_error(
                    "schedule_date", "To publish at this time, press “Schedule”; or clear it."
                )
            return None
        try:
            check_may_make(self.user, self.instance, name)
        except Refused as refusal:
            self.add_error(None, str(refusal))
            return None
        if name == "schedule":
            if set(SCHEDULE_FIELDS) & set(self.errors):
                return None  # a date or time that is not one: its box says so
            try:
                if day is None or time is None:
                    raise ValidationError("Choose the date and time to publish it.")
                self.schedule_at = from_current_timezone(datetime.combine(day, time))
                Publication.check_schedule(self.schedule_at)
            except ValidationError as error:
                self.add_error("schedule_date", error.messages)
                return None
        return name

    def _post_clean(self):
        super()._post_clean()
        # Here the publication holds what the form would save, cleaned by the model.
        if (
            self.transition in CHECKED_FIRST
            and ANYWAY_BUTTON not in self.data
            and not self.errors  # refused anyway: that comes first
        ):
            self._hold_to_say_what_is_missing()

    def _hold_to_say_what_is_missing(self):
        byline = self._byline_to_be_saved()
        if byline is None:
            return  # the byline's rows have errors: the save is refused for those first
        sentences = before_publishing(
            self.instance,
            at=self.schedule_at or timezone.now(),
            byline=byline,
            regions=self._as_it_will_be("regions", lambda stored: stored.regions.all()),
            tags=self._as_it_will_be("tags", lambda stored: stored.topics),
        )
        if sentences:
            self.held = (self.transition, sentences)
            self.transition = None
            self.add_error(None, ValidationError(HELD, code="held_before_publishing"))

    def _as_it_will_be(self, name, stored):
        """The field `name` as saving this form leaves it: as posted, or as stored when
        the form does not offer it."""
        if name in self.fields:
            return self.cleaned_data[name]
        return stored(self.instance) if self.instance.pk is not None else []

    def _byline_to_be_saved(self):
        """The authors saving this form and its byline rows (which the admin checks
        after it) leaves in the byline, None if the rows have errors; without those
        rows, the byline as stored."""
        rows = getattr(self.instance, "byline_formset", None)
        if rows is None:
            return self._as_it_will_be("byline", lambda stored: stored.byline)
        return rows.authors_to_be_saved() if rows.is_valid() else None

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


class OrderedInlineFormSet(forms.BaseInlineFormSet):
    """Rows ordered by their `position`; a row whose position another row already has
    (a new row left at 0) takes the next free one, in the order the rows are shown."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The rows are a table (OrderedInline is tabular), its boxes without <label>s:
        # each is named by its column's heading, for screen readers.
        for field in form.fields.values():
            # A choice of another object is inside the admin's wrapper (its + and ✎ links).
            widget = getattr(field.widget, "widget", field.widget)
            if not widget.is_hidden:
                widget.attrs.setdefault("aria-label", capfirst(field.label))

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


class BylineFormSet(OrderedInlineFormSet):
    """The byline's rows. Django makes them after the publication's form, and checks
    them after it too, giving both the same publication: through it, the form's check
    before publishing finds the byline the save would leave."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.byline_formset = self

    def authors_to_be_saved(self):
        """The authors in the byline once saved (call when valid): the rows posted and
        not deleted, and the stored rows the post left out, which saving leaves alone."""
        posted = {form.instance.pk for form in self.initial_forms}
        kept = [row.author for row in self.get_queryset() if row.pk not in posted]
        return kept + [
            form.cleaned_data["author"]
            for form in self.forms
            if form not in self.deleted_forms and form.cleaned_data.get("author")
        ]


class TagAutocompleteWidget(TagWidget):
    """The tags as chips, with the existing tags (and how often each is used) offered
    as you type: static/js/tag_autocomplete.js on the admin's own select2.

    Without JavaScript it is the plain comma-separated text box it enhances.
    """

    def __init__(self, source_url, attrs=None):
        super().__init__(attrs)
        self.source_url = source_url

    @property
    def media(self):
        # The same files, spelled the same way, as the admin's autocomplete widgets,
        # so that a form holding both loads jQuery and select2 once.
        extra = "" if settings.DEBUG else ".min"
        return forms.Media(
            js=[
                f"admin/js/vendor/jquery/jquery{extra}.js",
                f"admin/js/vendor/select2/select2.full{extra}.js",
                "admin/js/jquery.init.js",
                "js/tag_autocomplete.js",
            ],
            css={
                "screen": [
                    f"admin/css/vendor/select2/select2{extra}.css",
                    "admin/css/autocomplete.css",
                ]
            },
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if value is None or isinstance(value, str):
            names = tags_from_string(value or "")
        else:
            names = sorted(tag.name for tag in value)
        context["widget"]["attrs"].update(
            {
                "class": "tag-autocomplete",
                "data-source-url": self.source_url,
                "data-tag-names": json.dumps(names),
            }
        )
        return context


class TagNamesField(TagField):
    """The admin's tag field: near-duplicates of existing tags become those tags."""

    def clean(self, value):
        return resolve_tag_names(super().clean(value))
