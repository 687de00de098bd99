"""How a publication is cited: Chicago author-date text, BibTeX and RIS.

All three are built from the same facts (the authors' sort names in byline order,
the publish date, the title, the type, the organisation and the article's
absolute URL), so a reader who copies the text and one who imports the file get
the same reference. The text is on the article's page (templatetags.discovery); the
files are at cite.bib and cite.ris beside it (CitationDownloadView).
"""

import re
from dataclasses import dataclass
from functools import cached_property

from anyascii import anyascii
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import DetailView

from ..lookups import BySlugMixin, PreviewMixin
from ..richtext.sanitize import without_control_characters

# Chicago 17th edition (15.9, reference lists): list up to ten authors; for more
# than ten, list the first seven followed by "et al."
CHICAGO_MAX_LISTED = 10
CHICAGO_LISTED_WHEN_MORE = 7

# Words skipped when choosing the title word of a BibTeX key ("shin2026crisis").
KEY_SKIPPED_WORDS = frozenset(
    {"a", "an", "and", "at", "by", "for", "in", "of", "on", "the", "to", "with"}
)

# A title word in a script written without spaces (Chinese, Japanese) becomes one long
# run of letters: the key keeps its start.
KEY_WORD_MAX_LENGTH = 16

# LaTeX's special characters, each written so that it prints as itself. Braces are
# written as commands, not as \{ and \}: BibTeX counts every brace, escaped or not,
# so a title's "}" would close its field early and what follows would become fields.
BIBTEX_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)

BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

RIS_LINE_END = "\r\n"  # The RIS specification ends every line with CR LF.

# A citation file's extension: the Citation property that writes it, and its type.
CITATION_FORMATS = {
    "bib": ("bibtex", "application/x-bibtex; charset=utf-8"),
    "ris": ("ris", "application/x-research-info-systems; charset=utf-8"),
}


@dataclass(frozen=True)
class Name:
    family: str
    given: str = ""

    @classmethod
    def from_sort_name(cls, sort_name):
        """ "Shin, Mitch" becomes family "Shin", given "Mitch"; a name without a comma
        (an organisation, a single name) is all family name."""
        family, _, given = sort_name.partition(",")
        return cls(family=family.strip(), given=given.strip())

    @property
    def inverted(self):
        return f"{self.family}, {self.given}" if self.given else self.family

    @property
    def natural(self):
        return f"{self.given} {self.family}" if self.given else self.family


@dataclass(frozen=True)
class Citation:
    """The reference to `publication`, found at `url` (absolute)."""

    publication: object
    url: str

    @classmethod
    def of(cls, publication, request):
        """The reference to `publication` at its address on the host `request` asked."""
        return cls(publication, request.build_absolute_uri(publication.get_absolute_url()))

    @property
    def publisher(self):
        return settings.THINKTANK_NAME

    @cached_property
    def names(self):
        """The authors in byline order; with none, the organisation is the author."""
        names = [Name.from_sort_name(author.sort_name) for author in self.publication.byline]
        return names or [Name(family=self.publisher)]

    @cached_property
    def date(self):
        return timezone.localtime(self.publication.published_at).date()

    @property
    def title(self):
        return _one_line(self.publication.title)

    @property
    def type_name(self):
        return self.publication.publication_type.name

    # Chicago author-date

    @property
    def chicago_authors(self):
        """First author inverted, the rest "Given Family", with "and" before the last."""
        names = self.names
        if len(names) > CHICAGO_MAX_LISTED:
            listed = [names[0].inverted] + [n.natural for n in names[1:CHICAGO_LISTED_WHEN_MORE]]
            return ", ".join(listed) + ", et al."
        if len(names) == 1:
            return names[0].inverted
        if len(names) == 2:
            return f"{names[0].inverted}, and {names[1].natural}"
        listed = [names[0].inverted] + [n.natural for n in names[1:-1]]
        return ", ".join(listed) + f", and {names[-1].natural}"

    @property
    def chicago(self):
        """Shin, Mitch, and Hana Lindqvist. 2026. “Title.” Policy Brief. thinktank, March 3, 2026. URL."""
        # The closing period goes inside the quotes, unless the title ends its own sentence.
        title = self.title if self.title.endswith(("?", "!", ".")) else self.title + "."
        date = f"{self.date:%B} {self.date.day}, {self.date.year}"
        authors = self.chicago_authors
        # "et al." already ends in a period.
        authors = authors if authors.endswith(".") else authors + "."
        return (
            f"{authors} {self.date.year}. “{title}” {self.type_name}. "
            f"{self.publisher}, {date}. {self.url}."
        )

    # BibTeX

    @property
    def bibtex_key(self):
        """The first author's family name, the year and the title's first real word:
        shin2026crisis; names and titles in other scripts transliterated ("김, 소라",
        "북한의 핵" give gim2026bughanui). A title with no letters or digits to write
        (only symbols) gives the publication's number instead: shin2026p41."""
        words = [_ascii_word(word)[:KEY_WORD_MAX_LENGTH] for word in self.title.split()]
        first_word = next((w for w in words if w and w not in KEY_SKIPPED_WORDS), "")
        family = _ascii_word(self.names[0].family)
        return f"{family}{self.date.year}{first_word or f'p{self.publication.pk}'}"

    @property
    def bibtex(self):
        fields = [
            ("author", " and ".join(_bibtex_name(name) for name in self.names)),
            ("title", _bibtex_title(self.title)),
            ("type", _bibtex_escape(self.type_name)),
            ("institution", _bibtex_escape(self.publisher)),
            ("year", str(self.date.year)),
            ("date", self.date.isoformat()),
            ("url", self.url),
        ]
        tags = [tag.name for tag in self.publication.topics]
        if tags:
            fields.append(("keywords", _bibtex_escape(", ".join(tags))))
        lines = [f"@techreport{{{self.bibtex_key},"]
        lines += [f"  {name} = {{{value}}}," for name, value in fields]
        # A month is a BibTeX macro, written without braces.
        lines.append(f"  month = {BIBTEX_MONTHS[self.date.month - 1]},")
        lines.append("}")
        return "\n".join(lines) + "\n"

    # RIS

    @property
    def ris(self):
        lines = [("TY", "RPRT")]
        lines += [("AU", name.inverted) for name in self.names]
        lines += [
            ("TI", self.title),
            ("PY", str(self.date.year)),
            ("DA", f"{self.date:%Y/%m/%d}"),
            ("M3", self.type_name),
            ("PB", self.publisher),
            ("UR", self.url),
            ("AB", self.publication.lead_text),
        ]
        lines += [("KW", tag.name) for tag in self.publication.topics]
        lines.append(("ER", ""))
        # Every value is one line: a line break inside one would start a bogus tag.
        return "".join(f"{tag}  - {_one_line(value)}{RIS_LINE_END}" for tag, value in lines)


def _one_line(text):
    """`text` as one line of printable text: control characters dropped, and line
    breaks and runs of spaces made one space."""
    return " ".join(without_control_characters(text).split())


def _ascii_word(text):
    """Lower-case ASCII letters and digits only, other scripts transliterated: "Müller" ->
    "muller", "O’Brien" -> "obrien", "북한" -> "bughan", "Кризис" -> "krizis"."""
    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


def _bibtex_escape(text):
    return _one_line(text).translate(BIBTEX_ESCAPES)


def _bibtex_name(name):
    if not name.given:
        # Braced whole, so BibTeX does not split an organisation into given and family.
        return "{" + _bibtex_escape(name.family) + "}"
    return f"{_bibtex_escape(name.family)}, {_bibtex_escape(name.given)}"


def _bibtex_title(title):
    """Each word with a capital letter braced, so no bibliography style lower-cases it."""
    words = [_bibtex_escape(word) for word in title.split()]
    return " ".join(
        _bibtex_protect(word) if any(char.isupper() for char in word) else word for word in words
    )


def _bibtex_protect(word):
    # BibTeX reads a group opening with "{\" as one special character (an accented
    # letter), whose letters styles still lower-case; a group opening with "{{" is
    # protected.
    return "{{" + word + "}}" if word.startswith("\\") else "{" + word + "}"


class CitationDownloadView(PreviewMixin, BySlugMixin, DetailView):
    """The publication's reference as a file for reference managers (BibTeX or RIS)."""

    extension = None  # a key of CITATION_FORMATS, given in urls.py

    def get_queryset(self):
        return self.publications().for_citation()

    def render_to_response(self, context):
        attribute, content_type = CITATION_FORMATS[self.extension]
        citation = Citation.of(self.object, self.request)
        response = HttpResponse(getattr(citation, attribute), content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{self.object.slug}.{self.extension}"
        )
        return response
