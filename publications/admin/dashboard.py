"""The panels of publications on the admin's home (thinktank.admin's dashboard).

Each panel is a short list from one queryset, and links to the publication list
filtered the same way, with the list's own filters.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.urls import reverse
from django.utils.http import urlencode

from .. import policy
from ..models import Publication
from .publication import MinePublicationsFilter, StateFilter

# Rows in each panel; "See all" leads to the rest.
PANEL_ROWS = 8


@dataclass
class Panel:
    title: str
    # What the panel says when it lists nothing.
    empty: str
    # A queryset, read into a list of its first rows.
    publications: list
    # The publication list's filters that list all of them: {parameter: value or values}.
    filters: dict
    # The words of the link to that list.
    see_all: str
    template = "admin/publications/publication/dashboard_panel.html"

    def __post_init__(self):
        # Read here, not while the page renders.
        self.publications = list(self.publications[:PANEL_ROWS])

    @property
    def see_all_url(self):
        changelist = reverse("admin:publications_publication_changelist")
        return f"{changelist}?{urlencode(self.filters, doseq=True)}"


@admin.site.dashboard_panels
def publication_panels(request):
    """The panels `request.user` has use for: their own drafts (writers), what awaits
    review (those who may publish), and what is scheduled and recently published
    (anyone who may see unpublished work)."""
    user = request.user
    if not policy.may_preview(user):
        return []
    publications = Publication.objects.for_dashboard()
    panels = []
    if policy.may_write(user):
        panels.append(
            Panel(
                "My drafts",
                "You have no drafts or publications in review.",
                publications.in_progress().created_or_written_by(user).recently_edited(),
                {
                    MinePublicationsFilter.parameter_name: "yes",
                    "status__exact": [Publication.Status.DRAFT, Publication.Status.REVIEW],
                },
                "All my drafts and items in review",
            )
        )
    if policy.may_publish(user):
        panels.append(
            Panel(
                "Awaiting review",
                "Nothing is waiting for review.",
                publications.in_state(Publication.State.REVIEW).recently_edited(),
                {StateFilter.parameter_name: Publication.State.REVIEW},
                "All awaiting review",
            )
        )
    panels += [
        Panel(
            "Scheduled",
            "Nothing is scheduled.",
            publications.scheduled().soonest_first(),
            {StateFilter.parameter_name: Publication.State.SCHEDULED},
            "All scheduled",
        ),
        Panel(
            "Recently published",
            "Nothing has been published yet.",
            publications.published().newest_first(),
            {StateFilter.parameter_name: Publication.State.PUBLIC},
            "All published",
        ),
    ]
    return panels
