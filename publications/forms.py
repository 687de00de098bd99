"""The public pages' forms: the list page's filters, and the search page's words with them."""

from html import escape as html_escape

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Max, Min, Value
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from .caching.pages import PAGE_PARAMETER_MAX_LENGTH
from .facets import FACETS
from .models import Publication, PublicationType, Region
from .models.content_version import remember
from .search import MAX_QUERY_CHARS, clean_query

YEAR_MESSAGE = "The year must be a number like 2024."


def filter_options():
    """The menus of the filter form, cached until content changes."""
    return remember("filter-options", [], _filter_options)


def _filter_options():
    # Years run from the newest publication's back to the oldest's: two index look-ups
    # rather than a scan of the archive for the distinct years.
    span = Publication.objects.published().aggregate(
        newest=Max("published_at"), oldest=Min("published_at")
    )
    years = range(span["newest"].year, span["oldest"].year - 1, -1) if span["newest"] else []
    options = {"type": [], "region": [], "year": [(year, year) for year in years]}
    # Both short menus in one query, each then in its own sort order.
    menus = (
        PublicationType.objects.order_by()
        .annotate(menu=Value("type"))
        .values_list("menu", "sort_order", "name", "slug")
    )
    menus = menus.union(
        Region.objects.order_by()
        .annotate(menu=Value("region"))
        .values_list("menu", "sort_order", "name", "slug"),
        all=True,
    )
    for menu, _, name, slug in sorted(menus):
        options[menu].append((slug, name))
    return options


def escape(value):
    """`value` escaped as a template escapes a value that is not marked safe, by the
    standard library's html.escape(), which Django's escape() calls: Django's adds a
    check for lazy strings to each call, a third of writing a menu's option. What the
    widgets here write (names and numbers from the database, the reader's query) is
    never marked safe, so nothing is escaped that a template would have left alone."""
    return html_escape(str(value))


def html_attributes(attrs):
    """A widget's attributes as Django's widgets/attrs.html writes them: True as a bare
    name, False left out, anything else as name="value"."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class MenuSelect(forms.Select):
    """A <select> of plain options, written in Python rather than by a template per option.

    Django's select.html includes one template per option, which includes another for
    its attributes: about 35 µs an option, so the list's menus (types, regions, years)
    cost 2-3 ms of every uncached list and search page. This writes the same HTML as
    those templates for what these menus hold: options without groups, each escaped
    as a template would; and straight from the choices, without the dictionary per
    option that Select's context builds for its templates. The choices are kept as
    given, (value, label) pairs, rather than normalised each time a form is made.
    """

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = value

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        options = []
        # As Select marks them: the first option whose value was chosen, and no other.
        selected_one = False
        for option_value, label in self.choices:
            option_value = "" if option_value is None else option_value
            selected = not selected_one and str(option_value) in chosen
            selected_one |= selected
            options.append(
                f'\n  <option value="{escape(option_value)}"'
                f"{' selected' if selected else ''}>{escape(label)}</option>\n"
            )
        attributes = html_attributes(self.build_attrs(self.attrs, attrs))
        # Every value in it was escaped above.
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{"".join(options)}\n</select>')


class PlainHiddenInput(forms.HiddenInput):
    """A hidden input written in Python, as MenuSelect is: Django's hidden.html includes
    input.html, which includes attrs.html, about 45 µs an input on every list page."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        given = "" if value is None else f' value="{escape(value)}"'
        attributes = html_attributes(self.build_attrs(self.attrs, attrs))
        # Every value in it was escaped here.
        return mark_safe(
            f'<input type="{self.input_type}" name="{escape(name)}"{given}{attributes}>'
        )


class FacetField(forms.Field):
    """Picks one item of facet `name` (facets.FACETS) by its slug, as a ModelChoiceField
    of its items would; an unknown slug gets a message naming it.

    The items are looked up only when a slug is given, and then among what may be
    picked now (FACETS[name].items()): a ModelChoiceField copies its queryset for every
    form made, half the cost of making the list page's form.
    """

    def __init__(self, name, **kwargs):
        self.facet = FACETS[name]
        super().__init__(
            required=False,
            error_messages={"invalid_choice": f"No {name} called “%(value)s”."},
            **kwargs,
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        ProhibitNullCharactersValidator()(value)
        try:
            return self.facet.items().get(slug=value)
        except (ValueError, TypeError, self.facet.model.DoesNotExist):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class PublicationFilterForm(forms.Form):
    """The list page's filters, read from the query string; they combine.

    Each is a facet (facets.FACETS), so ?region=asia lists what /regions/asia/ lists.
    """

    type = FacetField("type", widget=MenuSelect)
    region = FacetField("region", widget=MenuSelect)
    year = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=9999,
        widget=MenuSelect,
        error_messages={
            "invalid": YEAR_MESSAGE,
            "min_value": YEAR_MESSAGE,
            "max_value": YEAR_MESSAGE,
        },
    )
    # Reached from tag and author links rather than chosen here; kept when the form is sent.
    tag = FacetField("tag", widget=PlainHiddenInput)
    author = FacetField("author", widget=PlainHiddenInput)

    def __init__(self, query, **kwargs):
        """`query` is the request's query string (a QueryDict): its last value of each
        field, cut to PAGE_PARAMETER_MAX_LENGTH, is what the form uses."""
        data = {
            name: query.getlist(name)[-1][:PAGE_PARAMETER_MAX_LENGTH]
            for name in self.base_fields
            if query.getlist(name)
        }
        super().__init__(data, **kwargs)
        # The fields look up what was chosen; the menus come from the cache.
        options = filter_options()
        self.fields["type"].widget.choices = [("", "All types"), *options["type"]]
        self.fields["region"].widget.choices = [("", "All regions"), *options["region"]]
        self.fields["year"].widget.choices = [("", "All years"), *options["year"]]

    def full_clean(self):
        super().full_clean()
        # The form is shown again without what it could not use, so that "Apply filters"
        # does not send the unknown value again; the valid filters stay.
        self.data = {name: value for name, value in self.data.items() if name not in self.errors}

    def chosen(self):
        """{facet name: value} of the valid filters the reader chose."""
        return {name: value for name in FACETS if (value := self.cleaned_data.get(name))}

    def filter(self, publications):
        """Narrow `publications` to the valid filters the reader chose."""
        for name, value in self.chosen().items():
            publications = FACETS[name].narrow(publications, value)
        return publications

    def used(self):
        """The valid filters chosen, each spelled as the page's links spell it (a slug, a year)."""
        return {
            name: str(getattr(value, "slug", value))
            for name, value in self.cleaned_data.items()
            if value
        }

    def active_filters(self):
        """Each valid chosen filter as (label, value, query string that removes it)."""
        active = []
        for name, value in self.cleaned_data.items():
            if value:
                rest = {
                    key: given
                    for key, given in self.data.items()
                    if given and key in self.fields and key != name
                }
                active.append((self[name].label, value, f"?{urlencode(rest)}" if rest else ""))
        return active


class QueryField(forms.CharField):
    """The reader's search words, cleaned and cut (search.clean_query()) rather than refused."""

    def to_python(self, value):
        return clean_query(super().to_python(value))


class SearchForm(PublicationFilterForm):
    """The search page: the words, and the list page's filters to narrow them."""

    q = QueryField(
        label="Search",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": MAX_QUERY_CHARS}),
    )

    field_order = ("q",)
