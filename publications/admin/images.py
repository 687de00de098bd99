"""The image library's admin: upload, describe and find the pictures bodies place.

A picture that a body places is not deleted: the confirmation names the publications
that place it (models.images.ImageUse) and offers no button. Besides its list and forms, two small JSON views serve the body editor's figure
dialog (static/js/editor_extensions.js): the library searched a page at a time, and
an upload from the dialog, checked as any other. Only writers use them, as only
writers change a body.
"""

from django import forms
from django.contrib import admin
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST, require_safe

from thinktank.building_blocks.uploads import split_extension

from .. import policy
from ..models import Image, ImageUse

THUMBNAIL_WIDTH = 80
# Pictures per page of the figure dialog's list: four rows of three.
LIBRARY_PAGE_SIZE = 12


class DialogUploadForm(forms.ModelForm):
    """An upload from the figure dialog: the picture and what readers are told of it.
    A title left blank is the file's name, as the dialog has little room."""

    class Meta:
        model = Image
        fields = ["file", "title", "alt", "decorative", "credit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["file"].error_messages["required"] = "Choose a picture to upload."

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and cleaned.get("file"):
            cleaned["title"] = split_extension(cleaned["file"].name)[0][:255]
        return cleaned


def dialog_item(image):
    """What the figure dialog lists of an image, and inserts."""
    return {
        "id": image.pk,
        "title": image.title,
        "src": image.file.url,
        "alt": "" if image.decorative else image.alt,
        "caption": image.credit,
        "thumbnail": image.thumbnail_url,
        "width": image.width,
        "height": image.height,
    }


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "title", "alt", "credit", "size", "uploaded_by", "created_at"]
    list_display_links = ["thumbnail", "title"]
    list_select_related = ["uploaded_by"]
    list_filter = ["decorative"]
    search_fields = ["title", "alt", "credit"]
    fields = ["file", "size", "title", "alt", "decorative", "credit", ("focal_x", "focal_y")]
    readonly_fields = ["size"]

    @admin.display(description="picture")
    def thumbnail(self, image):
        # Its height too, so the list does not jump as the pictures arrive.
        height = max(1, round(image.height * THUMBNAIL_WIDTH / image.width))
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}">',
            image.thumbnail_url,
            THUMBNAIL_WIDTH,
            height,
        )

    @admin.display(description="size in pixels")
    def size(self, image):
        return f"{image.width} by {image.height}" if image.pk else "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_deleted_objects(self, objs, request):
        """As the admin finds them, but what keeps a picture is told as the publications
        placing it, each linked to its form, rather than as rows of ImageUse."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            uses = (
                ImageUse.objects.filter(image__in=objs)
                .select_related("image", "publication")
                .only(
                    "image__title",
                    "publication__title",
                    "publication__status",
                    "publication__published_at",
                )
            )
            protected = [
                format_html(
                    '<a href="{}">{}</a> ({}) shows “{}”',
                    reverse("admin:publications_publication_change", args=[use.publication.pk]),
                    use.publication.title,
                    use.publication.state.label.lower(),
                    use.image.title,
                )
                for use in uses.order_by("publication__title", "image__title")
            ]
        return deleted, counts, perms_needed, protected

    def get_urls(self):
        return [
            path(
                "library/",
                self.admin_site.admin_view(self.library_view),
                name="publications_image_library",
            ),
            path(
                "library/upload/",
                self.admin_site.admin_view(self.upload_view),
                name="publications_image_upload",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_safe)
    def library_view(self, request):
        """A page of the library, newest first, matching ?q= (title, description, credit)."""
        if not policy.may_write(request.user):
            return JsonResponse({"errors": [policy.ONLY_WRITERS]}, status=403)
        images = Image.objects.matching(request.GET.get("q", "")).only(
            "file", "title", "alt", "decorative", "credit", "width", "height"
        )
        page = Paginator(images, LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
        return JsonResponse(
            {
                "images": [dialog_item(image) for image in page],
                "page": page.number,
                "pages": page.paginator.num_pages,
                "count": page.paginator.count,
            }
        )

    @method_decorator(require_POST)
    def upload_view(self, request):
        """Add an image from the figure dialog; each refusal is a sentence to show there."""
        if not (policy.may_write(request.user) and self.has_add_permission(request)):
            return JsonResponse({"errors": [policy.ONLY_WRITERS]}, status=403)
        form = DialogUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = [message for messages in form.errors.values() for message in messages]
            return JsonResponse({"errors": errors}, status=400)
        image = form.save(commit=False)
        image.uploaded_by = request.user
        image.save()
        self.log_addition(request, image, [{"added": {}}])
        return JsonResponse({"image": dialog_item(image)}, status=201)
