"""Uploaded files: which are public, and who sees the others.

Only the PDF or cover of a public publication, authors' portraits and the image
library's pictures that a public publication places (models.images), with their
renditions, are public. Any other file answers 404, whoever guesses the address: that of a publication that is
not public (a draft, in review, scheduled), like its page, and one nobody holds any
more (a draft's replaced PDF, still under the name its title gave it). Those who may
preview a page (policy.may_preview) see them, never cached. A public file's redirect
to the bucket is kept for half the signed URL's life.
"""

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe

from authors.models import Author
from thinktank.building_blocks.media_files import has_encoded_separator, is_canonical, send_file

from ..models import Image, Publication
from ..policy import may_preview


@require_safe
def serve(request, name):
    if not is_canonical(name) or has_encoded_separator(request):
        raise Http404("No such file.")
    cache_control = settings.MEDIA_CACHE_CONTROL
    if not is_public_file(name):
        if not may_preview(request.user):
            raise Http404("No such file.")
        # Neither a shared cache nor the browser may keep what is not public yet.
        cache_control = "private, no-store"
    return send_file(request, name, cache_control)


def is_public_file(name):
    """Whether `name` is the PDF or cover of a public publication, a portrait, or a
    library image (or one of its renditions) that a public publication places: one
    placed only in drafts is as embargoed as they are.

    Deny by default: a file nobody holds may be an earlier version of a draft's, which
    History can bring back. A public publication's file costs one indexed query; a
    portrait two; a library image three.
    """
    return (
        Publication.objects.published().holding_file(name).exists()
        or Author.objects.filter(photo=name).exists()
        or Image.objects.holding_file(name).placed_in_public().exists()
    )
