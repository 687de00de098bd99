"""A publication's History pages: its versions, two of them compared, and one version's
page, which shows what restoring it would change and restores it, and does nothing else."""

import re

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.models import Version

from .. import policy
from ..models import Publication
from .history import (
    Names,
    change_summaries,
    changes_restoring,
    comparison,
    last_saved,
    restore,
    states_of,
    when,
)

NOW = "now"  # in a comparison's address: the publication as it is stored now
_DIGITS = re.compile(r"[0-9]{1,10}")


def _number(text):
    """The whole number `text` says, if a database integer can hold it; else None."""
    if _DIGITS.fullmatch(text) and int(text) < 2**31:
        return int(text)
    return None


class PublicationHistory:
    """The History of PublicationAdmin (with the VersionAdmin of our building blocks)."""

    object_history_template = "admin/publications/publication/object_history.html"
    history_latest_first = True

    def get_urls(self):
        compare = self.admin_site.admin_view(self.compare_view)
        return [
            path(
                "<path:object_id>/history/compare/",
                compare,
                name="publications_publication_compare",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code != 200:
            return response
        versions = {
            version.revision_id: version
            for version in Version.objects.get_for_object_reference(
                Publication, unquote(object_id)
            ).select_related("revision")
        }
        summaries = change_summaries(versions.values())
        compare = reverse("admin:publications_publication_compare", args=[object_id])
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
        publication = self.get_object(request, unquote(object_id))
        if publication is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, publication):
            raise PermissionDenied
        history = reverse("admin:publications_publication_history", args=[object_id])
        chosen = self._chosen(publication, request.GET)
        if isinstance(chosen, str):
            self.message_user(request, chosen, messages.ERROR)
            return HttpResponseRedirect(history)
        states = states_of(chosen, publication)
        older = chosen[0]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": publication,
            "object_id": object_id,
            "title": f"Compare versions of “{publication}”",
            "before": older,
            "after": chosen[1],
            "parts": comparison(*states, Names(states)),
            "history_url": history,
            "older_url": older and self._version_url(object_id, older),
        }
        return TemplateResponse(request, "reversion/publications/publication/compare.html", context)

    def _chosen(self, publication, query):
        """The two versions chosen in `query` ("from" and "to": a version's id, or NOW
        for None, the publication now), the older first; or why they cannot be."""
        chosen = [query.get("from", ""), query.get("to", NOW)]
        ids = {_number(value) for value in chosen} - {None}
        versions = (
            Version.objects.get_for_object(publication)
            .select_related("revision__user")
            .in_bulk(ids)
        )
        found = []
        for value in chosen:
            if value == NOW:
                found.append(None)
            elif _number(value) in versions:
                found.append(versions[_number(value)])
            else:
                return "Choose two versions of this publication to compare."
        if found[0] == found[1]:
            return "Choose two different versions to compare."

        def saved(version):  # the publication now is newer than any version of it
            return (1, 0, 0) if version is None else (0, version.revision.date_created, version.pk)

        return sorted(found, key=saved)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        version, publication = self.version_and_item(request, object_id, version_id)
        if request.method == "POST":
            return self._restore(request, object_id, publication, version)
        if not self.has_view_or_change_permission(request, publication):
            raise PermissionDenied
        if self.has_change_permission(request):
            refusal = self.restore_refusal(request, version)
        else:
            refusal = "You may not change publications."
        if refusal:
            self.message_user(
                request,
                f"You may look at this version but not restore it: {refusal}",
                messages.WARNING,
            )
        # From the publication now to the version: what restoring it would change.
        states = states_of([None, version], publication)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": publication,
            "object_id": object_id,
            "title": f"An earlier version of “{publication}”",
            "version": version,
            "before": None,
            "after": version,
            "parts": comparison(*states, Names(states)),
            "edit_version": publication.edit_version,
            "may_restore": refusal is None,
            "history_url": reverse("admin:publications_publication_history", args=[object_id]),
        }
        return TemplateResponse(
            request, "reversion/publications/publication/revision_form.html", context
        )

    def _restore(self, request, object_id, publication, version):
        if not self.has_change_permission(request):
            raise PermissionDenied
        history = reverse("admin:publications_publication_history", args=[object_id])
        opened_at = _number(request.POST.get("edit_version", ""))
        with transaction.atomic():
            refusal = self.restore_refusal(request, version)
            if refusal:
                self.message_user(request, f"Nothing was restored: {refusal}", messages.ERROR)
                return HttpResponseRedirect(history)
            # As the change form does, refuse a restore chosen before someone else's save
            # (refused, that save changed the publication since the refusals were read).
            if opened_at is None or not Publication.objects.lock_if_unchanged(
                publication.pk, opened_at
            ):
                who, at = last_saved(Publication.objects.get(pk=publication.pk))
                self.message_user(
                    request,
                    f"Nothing was restored: {who} saved this publication at {when(at)}, "
                    "after you opened this version. Here is what restoring it would change "
                    "now: restore it again if you still want to.",
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.get_full_path())
            comment = restore(version, request.user)
        self.log_change(request, publication, comment)
        self.message_user(request, f"{comment}: it is the current version now.", messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:publications_publication_change", args=[object_id])
        )

    def restore_refusal(self, request, version):
        # Restoring (or recovering) is a change from the publication as it is now (or
        # from nothing) to the version, by this user: the same policy as the form's,
        # for every part the version holds. A version is restored with its whole
        # revision: a bulk action's holds every publication it changed, and each of
        # them is restored too.
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

    @staticmethod
    def _version_url(object_id, version):
        return reverse("admin:publications_publication_revision", args=[object_id, version.pk])
