from django import template
from django.utils.safestring import mark_safe

from publications.richtext.sanitize import sanitize_html

register = template.Library()


@register.filter
def rich_text(html):
    """The one way rich text reaches a page: through the allow-list, then marked safe.

    Bodies are already cleaned on save; cleaning again here means a row written
    around the model (raw SQL, an old import) still cannot inject markup.
    """
    return mark_safe(sanitize_html(html))  # cleaned on the line above
