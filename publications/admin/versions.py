"""A publication's History (the pages are thinktank.building_blocks.versioned_admin's):
what a version holds beyond its own fields (byline, tags, picks), how two compare, and a
restore that brings back its whole revision and is refused after someone else's save."""

from django.core.exceptions import PermissionDenied

from thinktank.building_blocks.versioned_admin import RestoreRefused, number, when

from .. import policy
from ..models import Publication
from . import history


class PublicationHistory:
    """The History of PublicationAdmin (with the VersionAdmin of our building blocks)."""

    restores_what = "its text, byline, regions, tags, related picks and publishing details"

    def version_states(self, versions, item):
        return history.states_of(versions, item)

    def version_names(self, states):
        return history.names_of(states)

    def version_comparison(self, before, after, names):
        return history.comparison(before, after, names)

    def change_summaries(self, versions):
        return history.change_summaries(versions)

    def restore_form_fields(self, item):
        # The edit number the publication had when the page was opened: a restore after
        # someone else's save is refused.
        return {"edit_version": item.edit_version}

    def restore_version(self, request, item, version):
        # As the change form does, refuse a restore chosen before someone else's save
        # (refused, that save changed the publication since the refusals were read).
        opened_at = number(request.POST.get("edit_version", ""))
        if opened_at is None or not Publication.objects.lock_if_unchanged(item.pk, opened_at):
            who, at = history.last_saved(Publication.objects.get(pk=item.pk))
            raise RestoreRefused(
                f"{who} saved this publication at {when(at)}, after you opened this version. "
                "Here is what restoring it would change now: restore it again if you still "
                "want to.",
                again=True,
            )
        return history.restore(version, request.user)

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
        changes = history.changes_restoring(publication, version)
        return list(policy.refusals(request.user, publication, changes).values())
