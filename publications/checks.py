"""The check before publishing: what is missing or odd in a publication about to go
public, in sentences for the editor, as WordPress's pre-publish panel lists them.

Advice, never a rule: the change form holds "Publish now" and "Schedule" until the
editor has seen these and pressed "… anyway" (publications.admin.forms), and who may
publish stays publications.policy's answer alone. A missing search description is not
listed (the introduction stands in for it), nor a cover image without a description
(the model refuses one), nor a date in the past ("Schedule" refuses one).
"""

import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http.request import split_domain_port, validate_host
from django.urls import Resolver404, get_script_prefix, resolve
from django.utils.text import get_text_list

from .lookups import PreviewMixin
from .models import Image, OldSlug, Publication
from .richtext.elements import images, link_addresses


def before_publishing(publication, *, at, byline, regions, tags):
    """What is missing or odd in `publication` were it public from `at` on, with this
    byline (authors), regions and tags: sentences, or [] when there is nothing to say.

    The publication's lead and body are as they would be saved (the body cleaned, as
    full_clean() and save() leave it); the byline, regions and tags too, since a form
    saves those after it. One query, for the publications the body links to, however
    many links and images it holds; none when it links to no publication. One more
    when an image's description is empty (alt=""), to ask the library whether it is
    a decorative picture, which needs none.
    """
    sentences = [
        _no_introduction(publication),
        _no_author(byline),
        _no_region_and_no_tag(regions, tags),
        _images_without_alt_text(publication.body),
        _links_readers_cannot_follow(publication, at),
    ]
    return [sentence for sentence in sentences if sentence]


def _no_introduction(publication):
    # The form requires one, but a lead of spaces and tags pasted from elsewhere shows nothing.
    if not publication.lead_text:
        return "It has no introduction: lists and search results show nothing under its title."
    return None


def _no_author(byline):
    if not byline:
        return "Nobody is named in the byline: readers and citations will not know who wrote it."
    return None


def _no_region_and_no_tag(regions, tags):
    if not regions and not tags:
        return (
            "It has no region and no tag: readers cannot find it by region or topic, "
            "and its related publications will simply be the newest ones."
        )
    return None


def _images_without_alt_text(body):
    # The sanitiser keeps only images with an address, and trims alt text. An empty one
    # (alt="") is right for a picture the library marks decorative: screen readers skip
    # it, as they should.
    without = [(address, alt) for address, alt in images(body) if not alt]
    decorative = Image.objects.decorative_at({address for address, alt in without if alt == ""})
    names = [
        _file_name(address) for address, alt in without if alt is None or address not in decorative
    ]
    if not names:
        return None
    images_have = "1 image has" if len(names) == 1 else f"{len(names)} images have"
    return (
        f"{images_have} no alt text ({', '.join(names)}): readers who cannot see "
        f"{'it' if len(names) == 1 else 'them'} are told nothing. Describe each "
        "(“Alternative Text” in the image's dialog)."
    )


def _file_name(address):
    return posixpath.basename(unquote(urlsplit(address).path)) or address


def _links_readers_cannot_follow(publication, at):
    """The publications the body links to that will not be public at `at`: drafts,
    those in review, and those scheduled for later."""
    slugs = _publications_linked(publication.body)
    if not slugs:
        return None
    # An old slug leads to its publication, unless another has it now (the current wins).
    moved = (
        OldSlug.objects.of(Publication)
        .filter(slug__in=slugs)
        .exclude(slug__in=Publication.objects.filter(slug__in=slugs).values("slug"))
    )
    public_then = Publication.objects.published(at).filter(pk=OuterRef("pk"))
    hidden = (
        Publication.objects.filter(Q(slug__in=slugs) | Q(pk__in=moved.values("object_id")))
        .exclude(Exists(public_then))
        .only("title", "status", "published_at")
        .order_by("title", "pk")
    )
    if publication.pk is not None:
        hidden = hidden.exclude(pk=publication.pk)  # it goes public with this
    named = [f"“{linked.title}” ({linked.not_public_because})" for linked in hidden]
    if not named:
        return None
    publications = "a publication" if len(named) == 1 else f"{len(named)} publications"
    return (
        f"The text links to {publications} readers cannot see when this one goes public: "
        f"{get_text_list(named, 'and')}. Readers following the link find nothing."
    )


def _publications_linked(body):
    """The slugs of the publications whose pages the links of `body` lead to: the pages
    only previewers see while a publication is not public (lookups.PreviewMixin), at a
    path of this site or a full address naming one of its hosts."""
    slugs = set()
    for address in link_addresses(body):
        parts = urlsplit(address)
        if parts.scheme not in ("", "http", "https") or not _is_this_site(parts.netloc):
            continue
        path = _path_within_this_site(unquote(parts.path))
        if path is None:
            continue
        try:
            match = resolve(path)
        except Resolver404:
            continue
        view = getattr(match.func, "view_class", None)
        if view is not None and issubclass(view, PreviewMixin) and "slug" in match.kwargs:
            slugs.add(match.kwargs["slug"])
    return slugs


def _is_this_site(netloc):
    if not netloc:
        return True
    # A wildcard allows any host, and so says nothing about which are this site's.
    hosts = [host for host in settings.ALLOWED_HOSTS if host != "*"]
    return validate_host(split_domain_port(netloc)[0], hosts)


def _path_within_this_site(path):
    """`path` as the URL patterns see it (without the prefix the site is served under);
    None for one outside the site."""
    prefix = get_script_prefix()
    if not path.startswith(prefix):
        return None
    return "/" + path.removeprefix(prefix)
