"""Reading a WordPress export (WXR 1.0 to 1.2) and turning it into publications.

The file is read twice, streamed both times (iterparse, each item cleared once
read), so memory stays bounded whatever its size: the first pass keeps only the
small things items refer to (authors, categories, attachments, time-zone
evidence), the second imports the items one at a time.
"""

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.urls import Resolver404, resolve
from django.utils.text import Truncator, slugify
from taggit.models import Tag

from authors.models import Author
from thinktank.building_blocks.planner import refresh_planner_statistics

from ..models import (
    Authorship,
    Image,
    LegacyURL,
    Publication,
    PublicationType,
    Region,
    normalise_legacy_path,
    wordpress_id,
)
from ..models.images import rendition_name
from ..richtext.text import plain_text
from .wordpress_bodies import CHANGED, convert, image_file_candidates

FALLBACK_TYPE_NAME = "Publication"
FALLBACK_ALT_TEXT = "Cover image"
NO_GMT_DATE = "0000-00-00 00:00:00"
MIN_ZONE_OFFSET, MAX_ZONE_OFFSET = timedelta(hours=-12), timedelta(hours=14)
# Names quoted in the report are cut to this many characters.
QUOTED_CHARS = 60
# Categories named in the report where it sums up many (the most used first).
LISTED = 12
UNSTORABLE_ITEMS = "items: with a value the site cannot store (see the warnings)"
# Where WordPress keeps uploads, after the site's address: what a picture's key in the
# library (Image.imported_from) is written under.
UPLOADS_PATH = "/wp-content/uploads/"
# The folders in an upload's address after which its path in the uploads folder
# starts (WordPress.com and old multisite installs serve them from /files/).
UPLOADS_FOLDERS = re.compile(r"/(?:uploads|files)/")
# An upload's path when WordPress files them by month, as it does unless told not to.
UPLOADED_BY_MONTH = re.compile(r"\d{4}/\d{2}/[^/]+$")

STATUSES = {
    "publish": Publication.Status.PUBLISHED,
    "future": Publication.Status.PUBLISHED,
    "draft": Publication.Status.DRAFT,
    "pending": Publication.Status.REVIEW,
    # Never public here either; the report names each (see WordPressImport._status).
    "private": Publication.Status.DRAFT,
}
SKIPPED_STATUSES = {
    "": "with no status (<wp:status>)",
    "trash": "in the trash",
    "auto-draft": "an automatic draft",
    "inherit": "a revision",
}
SKIPPED_POST_TYPES = {
    "page": "a page, not a publication",
    "nav_menu_item": "a menu item",
    "wp_block": "a reusable block",
    "attachment": "an attachment (imported with the item it belongs to)",
    "revision": "a revision",
}

# WordPress has written both, and WXR 1.0, 1.1 and 1.2 after them.
WXR_NAMESPACE = re.compile(r"https?://wordpress\.org/export/")
NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


class WordPressImportError(Exception):
    """A file that cannot be imported; the message says why."""


def _short_name(tag):
    """'{http://wordpress.org/export/1.2/}post_id' -> 'wp:post_id'."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    if WXR_NAMESPACE.match(uri):
        return ("excerpt:" if uri.rstrip("/").endswith("excerpt") else "wp:") + local
    return f"{NAMESPACES.get(uri, uri)}:{local}"


def _elements(path, tags):
    """Yield (short name, element) for each element named in `tags`, then clear it.

    Raises WordPressImportError for a malformed, empty, hostile or non-WXR file.
    """
    seen_rss = seen_wxr = False
    try:
        for event, element in iterparse(path, events=("start", "end")):
            name = _short_name(element.tag)
            if event == "start":
                seen_rss = seen_rss or _is_rss(name)
                continue
            if name == "wp:wxr_version":
                seen_wxr = True
            if name in tags:
                yield name, element
            if name in tags or name == "item":
                element.clear()
    except DefusedXmlException as error:
        raise WordPressImportError(
            f"The file declares XML entities or a DTD, which a WordPress export never does "
            f"and an attack does (an 'XML bomb'); nothing was imported ({error})."
        ) from error
    except ParseError as error:
        if "no element found" in str(error) and not seen_rss:
            raise WordPressImportError("The file is empty: there is no XML in it.") from error
        raise WordPressImportError(f"The file is not well-formed XML: {error}.") from error
    if not seen_wxr:
        raise WordPressImportError(
            "This is an RSS file but not a WordPress export (no <wp:wxr_version>): "
            "export with WordPress's Tools → Export."
        )


def _is_rss(root_name):
    if root_name != "rss":
        raise WordPressImportError(
            f"This is not a WordPress export: it starts with <{root_name}>, not <rss>."
        )
    return True


def _text(element, name):
    for child in element:
        if _short_name(child.tag) == name:
            return (child.text or "").strip()
    return ""


def _meta(item):
    return dict(_meta_pairs(item))


def _meta_pairs(item):
    """(key, value) of each postmeta, in order: a key may come more than once."""
    for child in item:
        if _short_name(child.tag) == "wp:postmeta":
            yield _text(child, "wp:meta_key"), _text(child, "wp:meta_value")


def _terms(item):
    """(domain, nicename, name) of each category, tag and co-author the item names.

    WXR 1.0 calls tags "tag" and repeats each term without its nicename; those
    repeats are left out.
    """
    terms = []
    for child in item:
        if _short_name(child.tag) == "category" and child.get("nicename"):
            domain = "post_tag" if child.get("domain") == "tag" else child.get("domain")
            terms.append((domain, unquote(child.get("nicename")), child.text or ""))
    return terms


def _most_used(counter):
    """'classic (39), block (18) and 46 more': the LISTED most used, for the report."""
    if not counter:
        return "(none)"
    ranked = sorted(counter.items(), key=lambda pair: (-pair[1], pair[0]))
    shown = ", ".join(f"{name} ({number})" for name, number in ranked[:LISTED])
    return shown + (f" and {len(ranked) - LISTED} more" if len(ranked) > LISTED else "")


def _site_key(site_url, blog_url):
    """The address that keys the site's old links. A WordPress.com export gives
    wordpress.com itself as the site; the blog's own address tells one blog from another."""
    try:
        host = urlsplit(site_url).hostname
    except ValueError:  # e.g. an unclosed "[" in the host: refused as it is (see survey)
        host = None
    return blog_url if host in ("wordpress.com", "www.wordpress.com") and blog_url else site_url


def _refusal(instance, *fields):
    """Why the model's own checks refuse these fields of `instance`, as sentences
    ('' when they pass): lengths, number ranges, and for files the same validators
    and re-encoding as an upload in the admin. Run before anything is written, since
    SQLite stores an over-long name without a word and PostgreSQL fails the whole
    import on it. Cleaned values are set on `instance` (an id becomes an int)."""
    try:
        instance.clean_fields(
            exclude=[field.name for field in instance._meta.fields if field.name not in fields]
        )
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _quoted(name):
    return f"“{Truncator(name).chars(QUOTED_CHARS)}”"


def _parse_date(value):
    if not value or value == NO_GMT_DATE:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


# --- the report --------------------------------------------------------------------------


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    warnings: list = field(default_factory=list)
    # How many items' bodies had each change (keys of wordpress_bodies.CHANGED).
    changed: Counter = field(default_factory=Counter)

    def warn(self, message):
        self.warnings.append(message)

    def lines(self):
        yield "Imported:" if self.counts else "Imported: nothing"
        for kind, number in sorted(self.counts.items()):
            yield f"  {kind}: {number}"
        if self.skipped:
            yield "Skipped:"
            for reason, number in sorted(self.skipped.items()):
                yield f"  {number} {reason}"
        if self.changed:
            yield "Changed in bodies (items):"
            for change, number in sorted(self.changed.items()):
                yield f"  {number}: {CHANGED[change]}"
        yield f"Warnings: {len(self.warnings)}"
        for warning in self.warnings:
            yield f"  - {warning}"


# --- the import --------------------------------------------------------------------------


@dataclass
class Options:
    post_types: tuple = ("post",)
    regions_category: str = "regions"
    types_category: str = "types"
    media_dir: Path | None = None
    site_time_zone: object = None  # a tzinfo
    # Report what a run would do, and write nothing: no row (rolled back), no file.
    dry_run: bool = False


class WordPressImport:
    def __init__(self, path, options, progress=None):
        self.path = path
        self.options = options
        self.progress = progress or (lambda done: None)
        self.report = Report()
        self.site_url = ""
        self.authors_by_login = {}  # login -> {"name", "first", "last"}
        self.categories = {}  # nicename -> (name, parent nicename)
        self.has_category_tree = False  # the file lists categories of its own
        self.attachments = {}  # id -> {"file", "url", "link", "parent", "alt", "title"}
        self.offsets = Counter()
        self.local_dates_only = 0  # items dated in the site's zone alone
        self.tag_names = {}  # nicename -> name, as the site's own list of tags spells it
        self.item_categories = {}  # nicename -> name, as items name them
        self.category_uses = Counter()  # nicename -> items of the post types imported
        self.untyped = 0  # items given the fallback type for want of a types category
        self.unmapped = Counter()  # nicename -> items in it, of the categories left out
        self.unknown_logins = set()  # reported once each
        self.stored_files = []  # (storage, name) of each file this run has written
        self.placed_images = {}  # Image.imported_from -> our address

    # -- pass one: what items refer to --

    def survey(self):
        tags = {
            "wp:base_site_url",
            "wp:base_blog_url",
            "wp:author",
            "wp:category",
            "wp:tag",
            "item",
        }
        addresses = {}
        for name, element in _elements(self.path, tags):
            if name in ("wp:base_site_url", "wp:base_blog_url"):
                addresses[name] = (element.text or "").strip().rstrip("/")
            elif name == "wp:author":
                self.authors_by_login[_text(element, "wp:author_login")] = {
                    "name": html.unescape(_text(element, "wp:author_display_name")),
                    "first": html.unescape(_text(element, "wp:author_first_name")),
                    "last": html.unescape(_text(element, "wp:author_last_name")),
                }
            elif name == "wp:category":
                self.categories[unquote(_text(element, "wp:category_nicename"))] = (
                    html.unescape(_text(element, "wp:cat_name")),
                    unquote(_text(element, "wp:category_parent")),
                )
            elif name == "wp:tag":
                self.tag_names[unquote(_text(element, "wp:tag_slug"))] = html.unescape(
                    _text(element, "wp:tag_name")
                )
            elif name == "item":
                self._survey_item(element)
        self.site_url = _site_key(
            addresses.get("wp:base_site_url", ""), addresses.get("wp:base_blog_url", "")
        )
        # An export of posts only (not "All content") names no categories of its own:
        # its items' categories are all there is, with no parents.
        self.has_category_tree = bool(self.categories)
        for slug, name in self.item_categories.items():
            self.categories.setdefault(slug, (name, ""))
        self._check_trees()
        refusal = self.site_url and _refusal(LegacyURL(site_url=self.site_url), "site_url")
        if refusal:
            raise WordPressImportError(f"The site's address cannot be kept: {refusal}")
        if self.options.site_time_zone is None:
            self.options.site_time_zone = self._inferred_zone()

    def _survey_item(self, item):
        local = _parse_date(_text(item, "wp:post_date"))
        gmt = _parse_date(_text(item, "wp:post_date_gmt"))
        # Dates further apart than any time zone (UTC-12 to UTC+14) say nothing of the site's.
        if local and gmt and MIN_ZONE_OFFSET <= local - gmt <= MAX_ZONE_OFFSET:
            self.offsets[round((local - gmt).total_seconds() / 900) * 900] += 1
        post_type = _text(item, "wp:post_type") or "post"
        if post_type in self.options.post_types:
            self.local_dates_only += bool(local and not gmt)
            for domain, slug, name in _terms(item):
                if domain == "category":
                    self.item_categories.setdefault(slug, html.unescape(name))
                    self.category_uses[slug] += 1
        if post_type == "attachment":
            meta = _meta(item)
            self.attachments[_text(item, "wp:post_id")] = {
                "file": meta.get("_wp_attached_file", ""),
                "url": _text(item, "wp:attachment_url"),
                "link": _text(item, "link"),
                "parent": _text(item, "wp:post_parent"),
                "alt": html.unescape(meta.get("_wp_attachment_image_alt", "")),
                "title": html.unescape(_text(item, "title")),
                "caption": plain_text(_text(item, "excerpt:encoded")),
            }

    def _check_trees(self):
        """Refuse a category named with a flag that the file does not have. The default
        names may be missing: the items then get no region and the fallback type, and
        the report says which categories there are (see _untyped_summary)."""
        tops = sorted(slug for slug, (_, parent) in self.categories.items() if not parent)
        for option, slug, default in (
            ("--types-category", self.options.types_category, "types"),
            ("--regions-category", self.options.regions_category, "regions"),
        ):
            if slug not in self.categories and slug != default:
                raise WordPressImportError(
                    f"{option} {slug}: there is no category '{slug}' in the file. "
                    f"Its top-level categories are: {', '.join(tops) or '(none)'}."
                )

    def _untyped_summary(self):
        """One warning for all the items a file without a types category left untyped:
        which categories they use, and how to make types of them."""
        tops = Counter(
            {
                slug: self.category_uses[slug]
                for slug, (_, parent) in self.categories.items()
                if not parent
            }
        )
        how = (
            "name their parent category with --types-category SLUG (if they have none, "
            "give them one in WordPress and export again)"
            if self.has_category_tree
            else "export again with “All content” (this file has no category tree, so no "
            "category has a parent) and name the parent of the categories that are types "
            "with --types-category SLUG"
        )
        self.report.warn(
            f"There is no category '{self.options.types_category}' in the file: "
            f"{self.untyped} items got the type “{FALLBACK_TYPE_NAME}”. Its top-level "
            f"categories (with the number of items in each) are: {_most_used(tops)}. "
            f"To give the items types, {how}; regions likewise, with --regions-category SLUG."
        )

    def _inferred_zone(self):
        """The site's zone for local dates without a GMT date: the offset most of the
        file's dates show (WordPress does not export the zone's name), reported."""
        if not self.local_dates_only:
            return UTC
        how = "give the site's zone with --site-time-zone (a name such as Europe/Brussels)"
        if not self.offsets:
            self.report.warn(
                f"{self.local_dates_only} items have no GMT date and the export does not name "
                f"the site's time zone; no date shows its offset, so they are dated in UTC: "
                f"{how}."
            )
            return UTC
        seconds, _ = self.offsets.most_common(1)[0]
        zone = dt_timezone(timedelta(seconds=seconds))
        warning = (
            f"{self.local_dates_only} items have no GMT date and the export does not name "
            f"the site's time zone: they are dated in {zone.tzname(None)}, the offset inferred "
            f"from the file's other dates. If that is not the site's zone, {how}."
        )
        if len(self.offsets) > 1:
            seen = ", ".join(
                dt_timezone(timedelta(seconds=offset)).tzname(None)
                for offset in sorted(self.offsets)
            )
            warning += (
                f" The dates show several offsets ({seen}), as summer time does: a fixed "
                "offset is wrong for part of the year, and the zone's name is not."
            )
        self.report.warn(warning)
        return zone

    def _under(self, slug, top):
        """The chain of categories from `slug` up to just below `top`, or None if not under it."""
        chain, seen = [], set()
        while slug and slug not in seen:
            seen.add(slug)
            if slug == top:
                return chain
            chain.append(slug)
            slug = self.categories.get(slug, ("", ""))[1]
        return None

    # -- pass two: the items --

    def run(self):
        self.survey()
        for done, (_, item) in enumerate(_elements(self.path, {"item"}), start=1):
            self._import_item(item)
            self.progress(done)
        if self.unmapped:
            self.report.skipped[
                f"categories, neither a region nor a type: {_most_used(self.unmapped)}"
            ] = len(self.unmapped)
        if self.untyped:
            self._untyped_summary()
        return self.report

    def _import_item(self, item):
        post_type = _text(item, "wp:post_type") or "post"
        status = _text(item, "wp:status")
        # The title is HTML in WordPress ("Q&amp;A", "<em>Sanctions</em> now"); ours is text.
        title = plain_text(_text(item, "title")) or "(untitled)"
        if post_type not in self.options.post_types:
            reason = SKIPPED_POST_TYPES.get(
                post_type, f"of post type '{post_type}' (add --post-type {post_type})"
            )
            self.report.skipped[f"items: {reason}"] += 1
            return
        if status not in STATUSES:
            reason = SKIPPED_STATUSES.get(status, f"with status '{status}'")
            self.report.skipped[f"items: {reason}"] += 1
            return
        post_id = _text(item, "wp:post_id")
        # The item is keyed by its id and old address, and has no page without its
        # title: any of them refused, and it is skipped before anything is written.
        address, refusal = self._old_address(post_id, False, _text(item, "link"))
        if wordpress_id(post_id) is None:
            refusal = "its <wp:post_id>, which keys it, is missing or not a whole number."
        refusal = refusal or _refusal(Publication(title=title), "title")
        if refusal:
            self.report.skipped[UNSTORABLE_ITEMS] += 1
            self.report.warn(f"{_quoted(title)} (WordPress id “{post_id}”) skipped: {refusal}")
            return
        old_slugs = self._old_slug_addresses(address, item, title)
        legacy = (
            LegacyURL.objects.select_related("publication")
            .filter(
                site_url=self.site_url,
                wordpress_id=address.wordpress_id,
                is_attachment=False,
                is_old_slug=False,
            )
            .first()
        )
        publication = legacy.publication if legacy else Publication()
        content = _text(item, "content:encoded")
        meta = _meta(item)
        publication.title = title
        if not publication.slug:
            # WordPress keeps a non-Latin slug percent-encoded; the site's routes take
            # it as it reads, and the old address redirects here (see _legacy_urls).
            publication.make_slug_from(unquote(_text(item, "wp:post_name")))
        converted = convert(
            content,
            _text(item, "excerpt:encoded"),
            attachments=self.attachments,
            post_id=post_id,
            place_image=self._place_image,
        )
        publication.lead = converted.lead
        publication.body = converted.body
        self.report.changed.update(converted.changes)
        for warning in converted.warnings:
            self.report.warn(f"“{title}”: {warning}")
        publication.status = self._status(item, title)
        publication.published_at = self._date(item, title)
        publication.seo_description = html.unescape(meta.get("_yoast_wpseo_metadesc", ""))
        if refusal := _refusal(publication, "seo_description"):
            self.report.warn(f"“{title}”: the search description is left out: {refusal}")
            publication.seo_description = ""
        categories = _terms(item)
        publication.publication_type = self._type(categories, title)
        pdf = self._pdf_attachment(post_id, content)
        self._media(publication, pdf, meta, title)
        publication.save()
        self.report.counts["publications updated" if legacy else "publications created"] += 1

        self._legacy_urls(publication, address, pdf, title)
        self._old_slugs(publication, old_slugs)
        publication.regions.set(self._regions(categories, title))
        publication.tags.set(self._tags(categories, title))
        self._byline(publication, categories, _text(item, "dc:creator"), title)
        for domain, slug, _name in categories:
            if domain == "category" and not (
                self._under(slug, self.options.types_category) is not None
                or self._under(slug, self.options.regions_category)
            ):
                self.unmapped[slug] += 1

    def _status(self, item, title):
        """Ours for the item's WordPress status; a private or password-protected post is
        never public here: it is a draft, and the report names it."""
        status = _text(item, "wp:status")
        why = (
            "password-protected"
            if _text(item, "wp:post_password")
            else "private"
            if status == "private"
            else ""
        )
        if not why:
            return STATUSES[status]
        self.report.counts["publications kept as drafts (private or password-protected)"] += 1
        self.report.warn(
            f"“{title}” was {why} on the old site: imported as a draft, for an editor to "
            "decide whether to publish it."
        )
        return Publication.Status.DRAFT

    def _date(self, item, title):
        gmt = _parse_date(_text(item, "wp:post_date_gmt"))
        if gmt:
            return gmt.replace(tzinfo=UTC)
        local = _parse_date(_text(item, "wp:post_date"))
        if local:
            try:
                return local.replace(tzinfo=self.options.site_time_zone).astimezone(UTC)
            except OverflowError:  # 0001-01-01 east of UTC, 9999-12-31 west of it
                self.report.warn(f"“{title}”: its date {local} is out of range.")
        if _text(item, "wp:status") in ("publish", "future"):
            self.report.warn(f"“{title}” has no date: it is dated now.")
        return None

    def _type(self, categories, title):
        if self.options.types_category not in self.categories:
            self.untyped += 1  # reported once, by _untyped_summary()
            return self._type_named(slugify(FALLBACK_TYPE_NAME), FALLBACK_TYPE_NAME, title)
        for domain, slug, name in categories:
            chain = self._under(slug, self.options.types_category) if domain == "category" else None
            if chain:
                type_slug = chain[-1]  # the child of the types category
                name = self.categories.get(type_slug, (name, ""))[0]
                publication_type = self._type_named(type_slug, name, title)
                if publication_type:
                    return publication_type
                break
        else:
            self.report.warn(
                f"“{title}” has no category under '{self.options.types_category}': "
                f"it gets the type “{FALLBACK_TYPE_NAME}”."
            )
        return self._type_named(slugify(FALLBACK_TYPE_NAME), FALLBACK_TYPE_NAME, title)

    def _type_named(self, slug, name, title):
        """The type, made if need be; None (reported) if its name cannot be stored."""
        # A type made by hand may already carry the name under another slug.
        publication_type = PublicationType.objects.filter(Q(slug=slug) | Q(name=name)).first()
        if publication_type is None:
            # The plural is a guess; the report says so, and the admin can correct it.
            publication_type = PublicationType(slug=slug, name=name, plural_label=f"{name}s")
            if refusal := _refusal(publication_type, "name", "plural_label"):
                self.report.warn(
                    f"“{title}”: the type {_quoted(name)} is left out: {refusal} "
                    f"It gets the type “{FALLBACK_TYPE_NAME}”."
                )
                return None
            if _refusal(publication_type, "slug"):
                publication_type.slug = ""  # made from the name when saved
            publication_type.save()
            self.report.counts["types created"] += 1
            self.report.warn(f"New type “{name}”: check its plural, “{name}s”, in the admin.")
        return publication_type

    def _regions(self, categories, title):
        regions = []
        for domain, slug, _ in categories:
            chain = (
                self._under(slug, self.options.regions_category) if domain == "category" else None
            )
            if chain and (region := self._region(chain, title)):
                regions.append(region)
        return regions

    def _region(self, chain, title):
        """The region at the bottom of `chain`, made with its parents if need be; None
        (reported) if one of their names cannot be stored, before any is made."""
        names = [(slug, self.categories[slug][0]) for slug in reversed(chain)]
        for _, name in names:
            if refusal := _refusal(Region(name=name), "name"):
                self.report.warn(f"“{title}”: the region {_quoted(name)} is left out: {refusal}")
                return None
        parent = None
        for slug, name in names:
            # A region made by hand may already carry the name under another slug.
            region = Region.objects.filter(Q(slug=slug) | Q(name=name)).first()
            if region is None:
                region = Region(slug=slug, name=name, parent=parent)
                if _refusal(region, "slug"):
                    region.slug = ""  # made from the name when saved
                region.save()
                self.report.counts["regions created"] += 1
            parent = region
        return parent

    def _tags(self, categories, title):
        names = []
        for domain, slug, text in categories:
            if domain != "post_tag":
                continue
            # The site's list of tags spells a tag one way; an item may spell it another.
            name = self.tag_names.get(slug) or html.unescape(text).strip()
            if refusal := _refusal(Tag(name=name), "name"):
                self.report.warn(f"“{title}”: the tag {_quoted(name)} is left out: {refusal}")
            else:
                names.append(name)
        return names

    def _author(self, login, display_name, title):
        """The author, made if need be; None (reported) if they cannot be stored."""
        login = login or ""
        known = self.authors_by_login.get(login)
        name = (known and known["name"]) or display_name or login
        if login and not known and login not in self.unknown_logins:
            self.unknown_logins.add(login)
            self.report.warn(
                f"“{title}”: the author '{login}' is not among the file's authors; "
                f"added as “{name}”."
            )
        author = None
        if login:
            author = Author.objects.filter(wordpress_login=login).first()
        if author is None:
            author = Author.objects.filter(name=name).first()
        if author is None:
            first, last = (known or {}).get("first"), (known or {}).get("last")
            if not last:
                first, _, last = name.rpartition(" ")
            author = Author(
                name=name,
                sort_name=f"{last}, {first}" if first else last,
                wordpress_login=login,
            )
            if refusal := _refusal(author, "name", "sort_name", "wordpress_login"):
                self.report.warn(f"“{title}”: the author {_quoted(name)} is left out: {refusal}")
                return None
            author.save()  # which makes the slug from the name
            self.report.counts["authors created"] += 1
        elif login and not author.wordpress_login:
            author.wordpress_login = login
            if refusal := _refusal(author, "wordpress_login"):
                self.report.warn(
                    f"“{title}”: the login {_quoted(login)} of {author.name} is not kept: {refusal}"
                )
            else:
                author.save(update_fields=["wordpress_login"])
        return author

    def _byline(self, publication, categories, creator, title):
        coauthors = [
            (nicename.removeprefix("cap-"), html.unescape(name))
            for domain, nicename, name in categories
            if domain == "author"
        ]
        if not coauthors and creator:
            coauthors = [(creator, "")]
        authors = []
        for login, name in coauthors:
            author = self._author(login, name, title)
            if author and author not in authors:
                authors.append(author)
        publication.authorships.all().delete()
        # One by one, not bulk_create(): the signals keep the search index fresh.
        for position, author in enumerate(authors):
            Authorship.objects.create(publication=publication, author=author, position=position)

    def _media(self, publication, pdf, meta, title):
        thumbnail = self.attachments.get(meta.get("_thumbnail_id", ""))
        if thumbnail and not publication.cover_image:
            self._cover(publication, thumbnail, title)
        if pdf and not publication.pdf:
            self._attach(publication, "pdf", pdf[1], title)

    def _cover(self, publication, thumbnail, title):
        """Attach the cover with its alt text; else, reported, its title or a stand-in."""
        alt = thumbnail["alt"]
        refusal = alt and _refusal(Publication(cover_image_alt=alt), "cover_image_alt")
        if refusal or not alt:
            title_fits = thumbnail["title"] and not _refusal(
                Publication(cover_image_alt=thumbnail["title"]), "cover_image_alt"
            )
            alt = thumbnail["title"] if title_fits else FALLBACK_ALT_TEXT
        if not self._attach(publication, "cover_image", thumbnail, title):
            return
        publication.cover_image_alt = alt
        if refusal:
            self.report.warn(
                f"“{title}”: the cover image's description is left out: {refusal} "
                f"“{alt}” stands in."
            )
        elif alt != thumbnail["alt"]:
            self.report.warn(f"“{title}”: the cover image has no alt text; “{alt}” stands in.")

    def _pdf_attachment(self, post_id, content):
        pdfs = [
            (attachment_id, attachment)
            for attachment_id, attachment in self.attachments.items()
            if attachment["url"].lower().endswith(".pdf")
        ]
        for attachment_id, attachment in pdfs:
            if attachment["parent"] == post_id:
                return attachment_id, attachment
        for attachment_id, attachment in pdfs:
            if attachment["url"] in content:
                return attachment_id, attachment
        return None

    def _attach(self, publication, field_name, attachment, title):
        """Store the attachment's file in the field, if it passes the checks an upload
        in the admin does; else report why not. True if it was stored."""
        relative = attachment["file"] or _path_in_uploads(attachment["url"]) or attachment["url"]
        if self.options.media_dir is None:
            self.report.warn(f"“{title}”: {relative} not imported (no --media-dir given).")
            return False
        source = self._media_file(relative)
        if source is None:
            self.report.warn(f"“{title}”: {relative} is not in {self.options.media_dir}.")
            return False
        with source.open("rb") as handle:
            setattr(publication, field_name, File(handle, name=source.name))
            if refusal := _refusal(publication, field_name):
                setattr(publication, field_name, "")
                self.report.warn(f"“{title}”: {relative} not imported: {refusal}")
                return False
            if self.options.dry_run:
                # Checked as a run would, stored nowhere: a storage writes folders at
                # least, and a bucket cannot be rolled back.
                setattr(publication, field_name, "")
                self.report.counts["files copied"] += 1
                return True
            # Stored now, by the field's own pre_save (which re-encodes a picture, as
            # for an upload), so that the run knows the files it has to remove if it
            # does not commit.
            field = publication._meta.get_field(field_name)
            stored = field.pre_save(publication, add=publication._state.adding)
        self.stored_files.append((stored.storage, stored.name))
        self.report.counts["files copied"] += 1
        return True

    def _media_file(self, relative):
        """The file at `relative` in --media-dir, or None if there is none (or the path
        leads out of it)."""
        media_dir = Path(self.options.media_dir).resolve()
        try:
            source = (media_dir / unquote(relative)).resolve()
        except ValueError:  # a NUL byte, written as %00
            return None
        return source if media_dir in source.parents and source.is_file() else None

    def _uploaded_file(self, src, attachment_id):
        """(path in the uploads folder, file) of the picture at `src` (or of attachment
        `attachment_id`): its original if the folder has it, else the resized copy."""
        names = []
        if relative := _path_in_uploads(src):
            names += image_file_candidates(relative)
        attachment = self.attachments.get(attachment_id)
        if attachment and attachment["file"]:
            names += image_file_candidates(attachment["file"])
        for relative in names:
            if source := self._media_file(relative):
                return unquote(relative), source
        return None, None

    def _place_image(self, src, attachment_id, alt, caption):
        """(our address, '') of the picture at `src`, brought into the image library
        from --media-dir once for the whole site; or (None, why not)."""
        if self.options.media_dir is None:
            return None, "was not looked for (no --media-dir given)"
        relative, source = self._uploaded_file(src, attachment_id)
        if source is None:
            return None, f"is not in {self.options.media_dir}"
        key = f"{self.site_url}{UPLOADS_PATH}{relative}"
        if key not in self.placed_images:
            image = Image.objects.filter(imported_from=key).first()
            if image is None:
                image, refusal = self._new_image(key, source, attachment_id, alt, caption)
                if image is None:
                    return None, f"was not copied: {refusal}"
            self.placed_images[key] = image.file.url
        return self.placed_images[key], ""

    def _new_image(self, key, source, attachment_id, alt, caption):
        """(a library image of `source`, '') or (None, why it is refused)."""
        attachment = self.attachments.get(attachment_id, {})
        title = attachment.get("title") or source.stem
        with source.open("rb") as handle:
            image = Image(
                file=File(handle, name=source.name),
                title=Truncator(title).chars(255),
                # The library's description; each body keeps the alt text it was given.
                alt=Truncator(alt or attachment.get("alt") or title).chars(300),
                credit=Truncator(caption or attachment.get("caption", "")).chars(300),
                imported_from=key,
            )
            if refusal := _refusal(image, "file", "imported_from"):
                return None, refusal
            if self.options.dry_run:
                # Checked as a run would, stored nowhere, as covers and PDFs are.
                self.report.counts["images copied into the library"] += 1
                return image, ""
            image.save()  # which stores it, re-encoded, and its smaller widths
        names = [image.file.name]
        names += [rendition_name(image.file.name, width) for width in image.rendition_widths]
        self.stored_files += [(image.file.storage, name) for name in names]
        self.report.counts["images copied into the library"] += 1
        return image, ""

    def remove_stored_files(self):
        """Delete the files this run stored: its rows were rolled back."""
        for storage, name in self.stored_files:
            storage.delete(name)
        self.stored_files.clear()

    def _old_address(self, wordpress_id, is_attachment, url):
        """(an unsaved LegacyURL, '') for an old address, or (None, why it cannot be kept)."""
        try:
            parts = urlsplit(url)
        except ValueError:  # e.g. an unclosed "[" in the host
            return None, f"its address {_quoted(url)} is not a web address."
        # A "?p=123" permalink has no path of its own: the id alone finds it.
        path = "" if parts.query else normalise_legacy_path(parts.path)
        if path == "/":
            path = ""
        address = LegacyURL(
            site_url=self.site_url,
            wordpress_id=wordpress_id,
            is_attachment=is_attachment,
            path=path,
        )
        refusal = _refusal(address, "wordpress_id", "path")
        return (None, refusal) if refusal else (address, "")

    def _legacy_urls(self, publication, address, pdf, title):
        addresses = [address]
        if pdf:
            attachment_id, attachment = pdf
            pdf_address, refusal = self._old_address(attachment_id, True, attachment["link"])
            if refusal:
                self.report.warn(
                    f"“{title}”: the old address of {attachment['file'] or attachment['url']} "
                    f"(WordPress id “{attachment_id}”) is not kept: {refusal}"
                )
            else:
                addresses.append(pdf_address)
        for old in addresses:
            if page := _own_page(old.path):
                self.report.warn(
                    f"“{title}”: its old address {old.path} is this site's own page {page}, "
                    "which answers there: links to it do not reach the publication."
                )
            # A current address wins over any other's, earlier slugs included.
            LegacyURL.objects.filter(path=old.path).exclude(path="").exclude(
                site_url=self.site_url, wordpress_id=old.wordpress_id, is_old_slug=False
            ).delete()
            LegacyURL.objects.update_or_create(
                site_url=self.site_url,
                wordpress_id=old.wordpress_id,
                is_old_slug=False,
                defaults={
                    "publication": publication,
                    "is_attachment": old.is_attachment,
                    "path": old.path,
                },
            )

    def _old_slug_addresses(self, address, item, title):
        """Unsaved LegacyURLs for the item's earlier slugs (_wp_old_slug): its address
        with the old slug in place of the current one, which WordPress answered with a
        redirect. None when the address does not end in the slug (a "?p=" link)."""
        slug = normalise_legacy_path("/" + _text(item, "wp:post_name"))
        if not address.path.endswith(slug) or slug == "/":
            return []
        addresses = []
        for key, old_slug in _meta_pairs(item):
            if key != "_wp_old_slug" or not old_slug.strip("/"):
                continue
            path = normalise_legacy_path(f"{address.path.removesuffix(slug)}/{old_slug}")
            old = LegacyURL(
                site_url=self.site_url,
                wordpress_id=address.wordpress_id,
                is_old_slug=True,
                path=path,
            )
            if refusal := _refusal(old, "path"):
                self.report.warn(
                    f"“{title}”: its old slug {_quoted(old_slug)} is not kept: {refusal}"
                )
            elif path != address.path:
                addresses.append(old)
        return addresses

    def _old_slugs(self, publication, addresses):
        """Keep the earlier addresses that no other post has (as WordPress, which
        followed an old slug only where no post answered)."""
        for old in addresses:
            _, created = LegacyURL.objects.get_or_create(
                path=old.path,
                defaults={
                    "site_url": old.site_url,
                    "wordpress_id": old.wordpress_id,
                    "is_old_slug": True,
                    "publication": publication,
                },
            )
            if created:
                self.report.counts["earlier addresses kept"] += 1


def import_wordpress(path, options, progress=None):
    """Import the export at `path` in one transaction (rolled back for a dry run).

    Files are stored as their items import (a dry run stores none); when the
    transaction does not commit, the files this run stored are deleted again, so that
    no file outlives the rows that named it (a draft's cover would be served otherwise).
    """
    importer = WordPressImport(path, options, progress)
    committed = False
    try:
        with transaction.atomic():
            report = importer.run()
            if options.dry_run:
                transaction.set_rollback(True)
        committed = not options.dry_run
    finally:
        if not committed:
            importer.remove_stored_files()
    if committed:
        refresh_planner_statistics()
    return report


def _own_page(path):
    """The address of the site's own page at `path` (or with a slash added, as the site
    redirects to it), or None. Old addresses are consulted only where the site would
    answer 404: a page of its own, with nothing in its address to look up, always
    answers first."""
    if not path:
        return None
    for candidate in (path, path.rstrip("/") + "/"):
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        if not match.args and not match.kwargs:
            return candidate
    return None


def _url_path(url):
    try:
        return urlsplit(url).path
    except ValueError:  # e.g. an unclosed "[" in the host
        return ""


def _path_in_uploads(url):
    """The path of the upload at `url` in the uploads folder ('' if it is not one)."""
    path = _url_path(url)
    in_uploads = UPLOADS_FOLDERS.split(path, maxsplit=1)
    if len(in_uploads) == 2:
        return in_uploads[1]
    # WordPress.com serves uploads from a host of their own, without the folder.
    by_month = UPLOADED_BY_MONTH.search(path)
    return by_month[0] if by_month else ""
