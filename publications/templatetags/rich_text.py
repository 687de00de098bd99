from django import template
from django.utils.safestring import mark_safe

from publications.richtext.images import responsive_images
from publications.richtext.sanitize import sanitize_html

register = template.Library()


@register.filter
def rich_text(html, images=None):
    """The one way rich text reaches a page: through the allow-list, then marked safe.

    Bodies are already cleaned on save; cleaning again here means a row written
    around the model (raw SQL, an old import) still cannot inject markup. With
    `images` (the view's ImageQuerySet.at_addresses() of the body), each picture gets
    the widths and size the library keeps of it.
    """
    cleaned = sanitize_html(html)
    if images is not None:
        cleaned = responsive_images(cleaned, images)
    return mark_safe(cleaned)  # cleaned above; responsive_images adds only our own values
