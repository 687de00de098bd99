from functools import lru_cache

from django import template
from django.utils.dates import MONTHS
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timezone import get_default_timezone, localtime

register = template.Library()

# How many days' readable dates each process keeps: every day of decades of archive.
DAYS_KEPT = 20_000


@register.simple_tag
def time_element(moment):
    """`moment` as <time datetime="2025-03-07T09:00:00+00:00">7 March 2025</time>, in the
    site's time zone, as the date filter writes both (its "c" is isoformat()).

    A tag rather than an included template with two date filters: on every card, and
    that was a third of a card's cost. For the same reason the readable date is kept
    per day, and nothing is escaped twice: isoformat() writes digits, "-", ":", "+",
    "T" and "." only. The site's time zone is TIME_ZONE's (readers do not choose their
    own), asked of get_default_timezone(), which keeps it: the current time zone is a
    context-local look-up, which cost 6 µs a card.
    """
    if moment in (None, ""):
        return mark_safe('<time datetime=""></time>')
    local = localtime(moment, get_default_timezone())
    return mark_safe(f'<time datetime="{local.isoformat()}">{_readable(local.date())}</time>')


@lru_cache(maxsize=DAYS_KEPT)
def _readable(day):
    """How pages write a date for readers: 7 March 2025 (the date filter's "j F Y").

    Written out here: a crawler walking the archive meets a new day on most cards, and
    the date filter took 7 µs to write one, against 1.3 µs."""
    return escape(f"{day.day} {MONTHS[day.month]} {day.year}")
