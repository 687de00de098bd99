"""The admin of every model with a history (django-reversion): the History list says what
changed in each version and offers two to compare; a version's own page shows what
restoring it would change, restores it, and does nothing else (no form of the item, no
Delete); a deleted item comes back from "Recover deleted".

What is compared is a "state" per version: {part: value}, by default the item's editable
fields. A model admin with more to a version (rows that follow it) overrides the hooks
`version_states`, `version_names`, `version_comparison`, `change_summaries` and
`restore_version`.
"""

import re
from datetime import datetime

import reversion
import reversion.admin
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from reversion.models import Version

from .text_diff import counted_changes, word_diff, words

NOW = "now"  # in a comparison's address: the item as it is stored now
_DIGITS = re.compile(r"[0-9]{1,10}")


def number(text):
    """The whole number `text` says, if a database integer can hold it; else None."""
    if _DIGITS.fullmatch(text) and int(text) < 2**31:
        return int(text)
    return None


def when(moment):
    """ "14:02" today, "14:02 on 27 November 2026" another day, in the site's time zone."""
    moment = timezone.localtime(moment)
    if moment.date() == timezone.localdate():
        return date_format(moment, "H:i")
    return date_format(moment, r"H:i \o\n j F Y")


def restored_comment(revision):
    """The History's comment on a restore of `revision`: which version, and whose."""
    saved_at = date_format(timezone.localtime(revision.date_created), r"j F Y, H:i")
    comment = f"Restored the version of {saved_at}"
    if revision.user:
        comment += f" by {revision.user.get_full_name() or revision.user.get_username()}"
    return comment


def comparable(value):
    """A field's value as a version keeps it: a file by its name, a time to the
    millisecond (JSON), so that a time saved since is no change."""
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


class Names:
    """The names of the items states refer to by id: one query per model, deleted ones
    marked. `wanted` is {model: ids}."""

    def __init__(self, wanted):
        self.names = {
            model: {pk: str(item) for pk, item in model.objects.in_bulk(pks).items()} if pks else {}
            for model, pks in wanted.items()
        }

    def __call__(self, model, pk):
        return self.names[model].get(pk, f"#{pk} (deleted)")

    def listed(self, model, pks):
        return ", ".join(self(model, pk) for pk in pks) or "(none)"


def shown(field, value, names):
    """A field's value in a sentence: “text”, a name for an id, a choice's label, yes/no."""
    if value in (None, "") or (field.many_to_many and not value):
        return "(empty)"
    if field.many_to_many:
        return names.listed(field.related_model, sorted(value))
    if field.is_relation:
        return names(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "tzinfo"):
        return when(value)
    return f"“{value}”" if isinstance(value, str) else str(value)


def is_words(field):
    """Whether a field's change is best shown word by word: free text, not a code."""
    return field.get_internal_type() in {"CharField", "TextField"} and not field.choices


class RestoreRefused(Exception):
    """Why a version was not restored, as a sentence; `again`: the version's page is worth
    opening again (what restoring would change has changed), else back to the History."""

    def __init__(self, sentence, *, again=False):
        super().__init__(sentence)
        self.again = again


class VersionAdmin(reversion.admin.VersionAdmin):
    """django-reversion's admin, where a version opens only from its own item's History
    (reversion's routes take any model's version by its number), opens on a page that
    restores and does nothing else, and where restoring or recovering it is first put
    to `restore_refusal`, the model admin's policy."""

    object_history_template = "admin/versions/object_history.html"
    history_latest_first = True
    # What a restore brings back, in "Restoring it brings back …".
    restores_what = "every field shown on its form"

    # --- What a version holds, and how two compare (the hooks) ---------------------

    def compared_fields(self):
        """The fields a version is compared on: those a person edits."""
        return [
            field
            for field in self.model._meta.get_fields()
            if field.concrete
            and field.editable
            and not field.primary_key
            and not field.auto_created
        ]

    def version_states(self, versions, item):
        """A state per version of `item` (None: `item` as it is stored now)."""
        states = []
        for version in versions:
            values = {} if version is None else version.field_dict
            state = {}
            for field in self.compared_fields():
                if field.many_to_many:
                    if version is None:
                        state[field.name] = set(
                            getattr(item, field.name).values_list("pk", flat=True)
                        )
                    else:
                        state[field.name] = set(values.get(field.name) or ())
                elif version is None:
                    state[field.name] = comparable(getattr(item, field.attname))
                else:
                    state[field.name] = comparable(values.get(field.attname))
            states.append(state)
        return states

    def version_names(self, states):
        """The Names of everything the states refer to by id."""
        wanted = {}
        for field in self.compared_fields():
            if field.is_relation:
                ids = wanted.setdefault(field.related_model, set())
                for state in states:
                    value = state[field.name]
                    ids |= set(value) if field.many_to_many else {value} - {None}
        return Names(wanted)

    def version_comparison(self, before, after, names):
        """What changed from state `before` to state `after`, a part per field that
        differs: {"label", "words"} (HTML) or {"label", "before", "after"}."""
        parts = []
        for field in self.compared_fields():
            if before[field.name] == after[field.name]:
                continue
            part = {"label": capfirst(field.verbose_name)}
            if is_words(field):
                part["words"] = word_diff(before[field.name] or "", after[field.name] or "")
            else:
                part["before"] = shown(field, before[field.name], names)
                part["after"] = shown(field, after[field.name], names)
            parts.append(part)
        return parts

    def change_summaries(self, versions):
        """{revision id: what changed since the version before}, for one item's versions
        in any order; the first is "First version"."""
        versions = sorted(versions, key=lambda version: (version.revision.date_created, version.pk))
        states = self.version_states(versions, None)
        names = self.version_names(states)
        summaries = {versions[0].revision_id: "First version"} if versions else {}
        for version, before, after in zip(versions[1:], states, states[1:], strict=False):
            summaries[version.revision_id] = self._difference(before, after, names)
        return summaries

    def _difference(self, before, after, names):
        """From state `before` to `after` in a sentence: short fields before and after,
        long texts by how many words changed."""
        changes = []
        for field in self.compared_fields():
            was, now = before[field.name], after[field.name]
            if was == now:
                continue
            label = capfirst(field.verbose_name)
            if field.get_internal_type() == "TextField":
                counted = counted_changes(words(was), words(now), "word")
                changes.append(f"{label}: {counted or 'formatting changed'}")
            else:
                changes.append(f"{label}: {shown(field, was, names)} → {shown(field, now, names)}")
        return "; ".join(changes) or "Saved without changes"

    def restore_version(self, request, item, version):
        """Make `version` the current one of `item`, as a new version by this user, and
        return its comment; or raise RestoreRefused. The item is checked as its form
        would (a slug taken since, a parent deleted) and saved as any save is."""
        values = version.field_dict
        fields = [field for field in self.compared_fields() if field.attname in values]
        for field in fields:
            if not field.many_to_many:
                setattr(item, field.attname, values[field.attname])
        try:
            item.full_clean()
        except ValidationError as error:
            raise RestoreRefused(" ".join(error.messages)) from error
        comment = restored_comment(version.revision)
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(comment)
            item.save()
            for field in fields:
                if field.many_to_many:
                    getattr(item, field.name).set(values[field.name])
        return comment

    def restore_form_fields(self, item):
        """Hidden fields for the restore button's form: {name: value}."""
        return {}

    def restore_refusal(self, request, version):
        """Why `request.user` may not restore `version` (over its item, or bringing it back
        when deleted), or None. Where the restore goes through reversion's change form,
        that form's own checks still run on what is posted."""
        return None

    # --- The pages -------------------------------------------------------------------

    def get_urls(self):
        compare = self.admin_site.admin_view(self.compare_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_compare"
        return [
            path("<path:object_id>/history/compare/", compare, name=name),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code != 200:
            return response
        versions = {
            version.revision_id: version
            for version in Version.objects.get_for_object_reference(
                self.model, unquote(object_id)
            ).select_related("revision")
        }
        summaries = self.change_summaries(versions.values())
        compare = reverse(self._url_name("compare"), args=[object_id])
        actions = response.context_data["action_list"]  # the latest first
        for action, older in zip(actions, [*actions[1:], None], strict=True):
            version = versions[action["revision"].pk]
            action |= {
                "summary": summaries.get(action["revision"].pk, ""),
                "version": version,
                "with_now": f"{compare}?from={version.pk}&to={NOW}",
            }
            if older is not None:
                action["with_previous"] = (
                    f"{compare}?from={versions[older['revision'].pk].pk}&to={version.pk}"
                )
        response.context_data["compare_url"] = compare
        return response

    def compare_view(self, request, object_id):
        item = self.get_object(request, unquote(object_id))
        if item is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, item):
            raise PermissionDenied
        history = reverse(self._url_name("history"), args=[object_id])
        chosen = self._chosen(item, request.GET)
        if isinstance(chosen, str):
            self.message_user(request, chosen, messages.ERROR)
            return HttpResponseRedirect(history)
        older = chosen[0]
        context = self._page_context(request, item, object_id, chosen) | {
            "title": f"Compare versions of “{item}”",
            "older_url": older and reverse(self._url_name("revision"), args=[object_id, older.pk]),
        }
        return TemplateResponse(request, "admin/versions/compare.html", context)

    def _chosen(self, item, query):
        """The two versions chosen in `query` ("from" and "to": a version's id, or NOW
        for None, the item now), the older first; or why they cannot be."""
        chosen = [query.get("from", ""), query.get("to", NOW)]
        ids = {number(value) for value in chosen} - {None}
        versions = (
            Version.objects.get_for_object(item).select_related("revision__user").in_bulk(ids)
        )
        found = []
        for value in chosen:
            if value == NOW:
                found.append(None)
            elif number(value) in versions:
                found.append(versions[number(value)])
            else:
                return f"Choose two versions of this {self.opts.verbose_name} to compare."
        if found[0] == found[1]:
            return "Choose two different versions to compare."

        def saved(version):  # the item now is newer than any version of it
            return (1, 0, 0) if version is None else (0, version.revision.date_created, version.pk)

        return sorted(found, key=saved)

    def _page_context(self, request, item, object_id, chosen):
        states = self.version_states(chosen, item)
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": item,
            "object_id": object_id,
            "before": chosen[0],
            "after": chosen[1],
            "parts": self.version_comparison(*states, self.version_names(states)),
            "history_url": reverse(self._url_name("history"), args=[object_id]),
            "restores_what": self.restores_what,
        }

    def revision_view(self, request, object_id, version_id, extra_context=None):
        version, item = self.version_and_item(request, object_id, version_id)
        if request.method == "POST":
            return self._restore(request, object_id, item, version)
        if not self.has_view_or_change_permission(request, item):
            raise PermissionDenied
        # Whether this user may change such items at all; what they may restore over
        # this one is the policy's to say, with a sentence (restore_refusal).
        if self.has_change_permission(request):
            refusal = self.restore_refusal(request, version)
        else:
            refusal = f"You may not change {self.opts.verbose_name_plural}."
        if refusal:
            self.message_user(
                request,
                f"You may look at this version but not restore it: {refusal}",
                messages.WARNING,
            )
        # From the item now to the version: what restoring it would change.
        context = self._page_context(request, item, object_id, [None, version]) | {
            "title": f"An earlier version of “{item}”",
            "version": version,
            "may_restore": refusal is None,
            "hidden_fields": self.restore_form_fields(item),
        }
        return TemplateResponse(request, "admin/versions/revision_form.html", context)

    def _restore(self, request, object_id, item, version):
        if not self.has_change_permission(request):
            raise PermissionDenied
        history = reverse(self._url_name("history"), args=[object_id])
        try:
            with transaction.atomic():
                refusal = self.restore_refusal(request, version)
                if refusal:
                    raise RestoreRefused(refusal)
                comment = self.restore_version(request, item, version)
        except RestoreRefused as refused:
            self.message_user(request, f"Nothing was restored: {refused}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path() if refused.again else history)
        self.log_change(request, item, comment)
        self.message_user(request, f"{comment}: it is the current version now.", messages.SUCCESS)
        return HttpResponseRedirect(reverse(self._url_name("change"), args=[quote(item.pk)]))

    def version_and_item(self, request, object_id, version_id):
        """Version `version_id` of item `object_id` (quoted, as in its address) and the
        item, or 404: a version opens only from its own item's History."""
        object_id = unquote(object_id)
        version = get_object_or_404(
            Version.objects.get_for_object_reference(self.model, object_id).select_related(
                "revision__user"
            ),
            pk=version_id,
        )
        item = self.get_object(request, object_id)
        if item is None:
            raise Http404("A deleted item is brought back from “Recover deleted”.")
        return version, item

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_deleted(self.model), pk=version_id)
        refusal = self.restore_refusal(request, version)
        if refusal is None:
            return super().recover_view(request, version_id, extra_context)
        if request.method != "POST":
            self.message_user(
                request,
                f"You may look at this version but not restore it: {refusal}",
                messages.WARNING,
            )
            return super().recover_view(request, version_id, extra_context)
        self.message_user(request, f"Nothing was restored: {refusal}", messages.ERROR)
        return HttpResponseRedirect(reverse(self._url_name("recoverlist")))

    def _url_name(self, view):
        return f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}"
