"""The pictures of a cleaned body, as a page shows them: every width the library keeps
of each (`srcset`, `sizes`), its size in pixels, so the text does not jump as it
arrives, and only the first loaded at once.

This runs on HTML that sanitize_html has cleaned, and adds attributes written here
from the library's rows alone; what a body stores (or smuggles in) never reaches these
attributes, which the allow-list drops on the way in.
"""

import html
import re

# How wide a body's picture is drawn: the article column (--measure in site.css, 70
# characters: 757 px at 1280 px wide, about 48rem), or the screen less its margins.
SIZES = "(min-width: 50rem) 48rem, calc(100vw - 2rem)"

# nh3 writes every attribute as name="value", a quote inside as &quot;.
_IMAGE = re.compile(r"<img((?:\s[a-z-]+=\"[^\"]*\")*)\s*/?>")
_ATTRIBUTE = re.compile(r"\s([a-z-]+)=\"([^\"]*)\"")


def responsive_images(cleaned, images):
    """`cleaned` (sanitize_html's output) with each picture's widths, size and loading
    written in. `images` maps an address to its library image (ImageQuerySet.at_addresses);
    a picture not in it keeps its own attributes."""
    seen = 0

    def rewritten(match):
        nonlocal seen
        seen += 1
        attributes = dict(_ATTRIBUTE.findall(match[1]))
        image = images.get(html.unescape(attributes.get("src", "")))
        if image is not None:
            attributes.update(
                width=str(image.width),
                height=str(image.height),
                srcset=html.escape(image.srcset),
                sizes=SIZES,
            )
        if seen > 1:
            # The first may be in view as the page opens; the others wait until near.
            attributes["loading"] = "lazy"
        return "<img" + "".join(f' {name}="{value}"' for name, value in attributes.items()) + ">"

    return _IMAGE.sub(rewritten, cleaned)
