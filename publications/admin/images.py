"""The image library's admin: upload, describe and find the pictures bodies place."""

from django.contrib import admin
from django.utils.html import format_html

from ..models import Image

THUMBNAIL_WIDTH = 80


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
