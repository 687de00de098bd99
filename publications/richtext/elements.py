"""What a piece of HTML holds: its images and its links, read as a browser reads them.

The sanitiser asks which images it would drop; the check before publishing asks which
images say nothing to readers who cannot see them, and where the links lead.
"""

from html.parser import HTMLParser


class _Attributes(HTMLParser):
    """The attributes of each element named `tag`, in the order they come."""

    def __init__(self, html, tag):
        super().__init__()
        self.tag = tag
        self.found = []
        self.feed(html or "")
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == self.tag:
            # The first of a repeated attribute counts, as in a browser and in nh3.
            self.found.append(dict(reversed(attrs)))


def images(html):
    """(address, alt text) of each image in `html`, in order; None for one left out.

    Text without "<img" in any case holds no image, and is not parsed: most bodies,
    read on every uncached article page (publications.views.article)."""
    if not html or "<img" not in html.lower():
        return []
    return [(attrs.get("src"), attrs.get("alt")) for attrs in _Attributes(html, "img").found]


def link_addresses(html):
    """The address of each link in `html` that has one, in order."""
    return [attrs["href"] for attrs in _Attributes(html, "a").found if attrs.get("href")]
