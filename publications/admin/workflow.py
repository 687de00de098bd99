"""The change form's workflow, as its user sees it: the buttons' labels, the status badge
beside the title, the sentence each button's result ends with, and the panel of the
check before publishing. Who may press which is publications.policy's answer
(`transitions_offered`)."""

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html

from ..models import Publication
from ..models.publication import SCHEDULED_FORMAT

# In the order policy.WORKFLOW offers them. "Schedule…" asks for a time first.
BUTTONS = {
    "save_draft": "Save draft",
    "send_for_review": "Submit for review",
    "publish": "Publish now",
    "schedule": "Schedule…",
    "unpublish": "Unpublish",
}


# For each button the check before publishing holds (forms.CHECKED_FIRST): the panel's
# heading, and the button that goes ahead whatever it says.
HELD = {
    "publish": ("Before publishing", "Publish anyway"),
    "schedule": ("Before scheduling", "Schedule anyway"),
}


def held_panel(name, sentences):
    """What the panel by the buttons says when the button `name` was held to list
    `sentences` (publications.checks) first."""
    heading, anyway = HELD[name]
    again = BUTTONS[name].rstrip("…")
    return {
        "heading": heading,
        "sentences": sentences,
        "transition": name,
        "anyway": anyway,
        "again": f"Or change what you need and press “{again}” again.",
    }


def in_site_time(moment):
    """ "3 December 2026, 09:00 (Europe/Stockholm)": in the site's time zone, named."""
    local = timezone.localtime(moment)
    return f"{format_date(local, SCHEDULED_FORMAT)} ({timezone.get_current_timezone_name()})"


def badge(publication):
    """What the badge beside the title says: Draft, In review, Scheduled for …, Published."""
    state = publication.state
    if state == Publication.State.SCHEDULED:
        return f"Scheduled for {in_site_time(publication.published_at)}"
    return state.label


def result(name, publication):
    """What pressing the button `name` did to `publication` (saved since)."""
    if name == "publish":
        return format_html('Published. <a href="{}">View live</a>', publication.get_absolute_url())
    if name == "schedule":
        return f"Scheduled for {in_site_time(publication.published_at)}"
    return {
        "save_draft": "Draft saved.",
        "send_for_review": "Submitted for review.",
        "unpublish": "Unpublished: back to draft.",
    }[name]
