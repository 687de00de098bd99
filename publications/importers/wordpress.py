"""Reading a WordPress export (WXR 1.1/1.2) and turning it into publications.

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
}
SKIPPED_STATUSES = {
    "private": "private (not public on the old site)",
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
    if uri.startswith("http://wordpress.org/export/"):
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
    meta = {}
    for child in item:
        if _short_name(child.tag) == "wp:postmeta":
            meta[_text(child, "wp:meta_key")] = _text(child, "wp:meta_value")
    return meta


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
        yield "Imported:"
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


class WordPressImport:
    def __init__(self, path, options, progress=None):
        self.path = path
        self.options = options
        self.progress = progress or (lambda done: None)
        self.report = Report()
        self.site_url = ""
        self.authors_by_login = {}  # login -> {"name", "first", "last"}
        self.categories = {}  # nicename -> (name, parent nicename)
        self.attachments = {}  # id -> {"file", "url", "link", "parent", "alt", "title"}
        self.offsets = Counter()
        self.stored_files = []  # (storage, name) of each file this run has written
        self.placed_images = {}  # Image.imported_from -> our address

    # -- pass one: what items refer to --

    def survey(self):
        tags = {"wp:base_site_url", "wp:author", "wp:category", "item"}
        for name, element in _elements(self.path, tags):
            if name == "wp:base_site_url":
                self.site_url = (element.text or "").strip().rstrip("/")
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
            elif name == "item":
                self._survey_item(element)
        self._check_trees()
        refusal = self.site_url and _refusal(LegacyURL(site_url=self.site_url), "site_url")
        if refusal:
            raise WordPressImportError(
                f"The site's address (<wp:base_site_url>) cannot be kept: {refusal}"
            )
        if self.options.site_time_zone is None:
            self.options.site_time_zone = self._inferred_zone()

    def _survey_item(self, item):
        local = _parse_date(_text(item, "wp:post_date"))
        gmt = _parse_date(_text(item, "wp:post_date_gmt"))
        # Dates further apart than any time zone (UTC-12 to UTC+14) say nothing of the site's.
        if local and gmt and MIN_ZONE_OFFSET <= local - gmt <= MAX_ZONE_OFFSET:
            self.offsets[round((local - gmt).total_seconds() / 900) * 900] += 1
        if _text(item, "wp:post_type") == "attachment":
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
        tops = sorted(slug for slug, (_, parent) in self.categories.items() if not parent)
        for option, slug in (
            ("--types-category", self.options.types_category),
            ("--regions-category", self.options.regions_category),
        ):
            if slug not in self.categories and (option == "--types-category" or slug != "regions"):
                raise WordPressImportError(
                    f"{option} {slug}: there is no category '{slug}' in the file. "
                    f"Its top-level categories are: {', '.join(tops) or '(none)'}."
                )

    def _inferred_zone(self):
        if not self.offsets:
            return UTC
        seconds, _ = self.offsets.most_common(1)[0]
        zone = dt_timezone(timedelta(seconds=seconds))
        self.report.warn(
            f"Site time zone inferred from the file's dates as {zone.tzname(None)} "
            "(for items without a GMT date; give --site-time-zone to choose another)."
        )
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
        return self.report

    def _import_item(self, item):
        post_type = _text(item, "wp:post_type") or "post"
        status = _text(item, "wp:status")
        title = html.unescape(_text(item, "title")) or "(untitled)"
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
        refusal = refusal or _refusal(Publication(title=title), "title")
        if refusal:
            self.report.skipped[UNSTORABLE_ITEMS] += 1
            self.report.warn(f"{_quoted(title)} (WordPress id “{post_id}”) skipped: {refusal}")
            return
        legacy = (
            LegacyURL.objects.select_related("publication")
            .filter(site_url=self.site_url, wordpress_id=address.wordpress_id, is_attachment=False)
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
        publication.status = STATUSES[status]
        publication.published_at = self._date(item, title)
        publication.seo_description = html.unescape(meta.get("_yoast_wpseo_metadesc", ""))
        if refusal := _refusal(publication, "seo_description"):
            self.report.warn(f"“{title}”: the search description is left out: {refusal}")
            publication.seo_description = ""
        categories = [
            (child.get("domain"), unquote(child.get("nicename", "")), child.text or "")
            for child in item
            if _short_name(child.tag) == "category"
        ]
        publication.publication_type = self._type(categories, title)
        pdf = self._pdf_attachment(post_id, content)
        self._media(publication, pdf, meta, title)
        publication.save()
        self.report.counts["publications updated" if legacy else "publications created"] += 1

        self._legacy_urls(publication, address, pdf, title)
        publication.regions.set(self._regions(categories, title))
        publication.tags.set(self._tags(categories, title))
        self._byline(publication, categories, _text(item, "dc:creator"), title)
        for domain, slug, _name in categories:
            if domain == "category" and not (
                self._under(slug, self.options.types_category) is not None
                or self._under(slug, self.options.regions_category)
            ):
                self.report.skipped[f"category '{slug}' (neither a region nor a type)"] += 1

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
        for domain, _, text in categories:
            if domain != "post_tag":
                continue
            name = html.unescape(text).strip()
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
        if login and not known:
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
            LegacyURL.objects.filter(path=old.path).exclude(path="").exclude(
                site_url=self.site_url, wordpress_id=old.wordpress_id
            ).delete()
            LegacyURL.objects.update_or_create(
                site_url=self.site_url,
                wordpress_id=old.wordpress_id,
                defaults={
                    "publication": publication,
                    "is_attachment": old.is_attachment,
                    "path": old.path,
                },
            )


def import_wordpress(path, options, dry_run=False, progress=None):
    """Import the export at `path` in one transaction (rolled back for a dry run).

    Files are stored as their items import; when the transaction does not commit
    (a failure, a dry run), the files this run stored are deleted again, so that no
    file outlives the rows that named it (a draft's cover would be served otherwise).
    """
    importer = WordPressImport(path, options, progress)
    committed = False
    try:
        with transaction.atomic():
            report = importer.run()
            if dry_run:
                transaction.set_rollback(True)
        committed = not dry_run
    finally:
        if not committed:
            importer.remove_stored_files()
    if committed:
        refresh_planner_statistics()
    return report


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
