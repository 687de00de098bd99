"""The admin of every model with a history (django-reversion)."""

import reversion.admin
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from reversion.models import Version


class VersionAdmin(reversion.admin.VersionAdmin):
    """django-reversion's admin, where a version opens only from its own item's History
    (reversion's routes take any model's version by its number) and restoring or
    recovering it is first put to `restore_refusal`, the model admin's policy."""

    def restore_refusal(self, request, version):
        """Why `request.user` may not restore `version` (over its item, or bringing it back
        when deleted), or None. Where the restore goes through reversion's change form,
        that form's own checks still run on what is posted."""
        return None

    def revision_view(self, request, object_id, version_id, extra_context=None):
        version, _ = self.version_and_item(request, object_id, version_id)
        history = reverse(self._url_name("history"), args=[object_id])
        return self._unless_refused(request, version, history) or super().revision_view(
            request, object_id, version_id, extra_context
        )

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
        recover_list = reverse(self._url_name("recoverlist"))
        return self._unless_refused(request, version, recover_list) or super().recover_view(
            request, version_id, extra_context
        )

    def _unless_refused(self, request, version, back):
        """A redirect to `back` saying why, for a refused restore; for a look at the
        version, why it could not be restored; else None."""
        refusal = self.restore_refusal(request, version)
        if refusal is None:
            return None
        if request.method != "POST":
            self.message_user(
                request,
                f"You may look at this version but not restore it: {refusal}",
                messages.WARNING,
            )
            return None
        self.message_user(request, f"Nothing was restored: {refusal}", messages.ERROR)
        return HttpResponseRedirect(back)

    def _url_name(self, view):
        return f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}"
