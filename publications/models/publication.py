"""The publication, its byline and its curated related picks."""

import json
from functools import lru_cache
from operator import attrgetter

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
)
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import Tag

from authors.models import Author
from thinktank.building_blocks import prepared_statements
from thinktank.building_blocks.compiled import STANDS_FOR_NOW, by_slug, named
from thinktank.building_blocks.rows import converted_row, instance_from_db
from thinktank.building_blocks.slugs import SlugFromName
from thinktank.building_blocks.uploads import (
    CleanImageField,
    SafeUploadName,
    UploadFileField,
    validate_pdf,
)
from thinktank.building_blocks.urls import slug_url

from ..richtext.sanitize import EDITOR_EXTENSIONS, sanitize_html
from ..richtext.text import plain_text
from .addresses import OldSlug
from .taxonomy import PublicationType, Region, TaggedPublication

# "Scheduled for 3 December 2026, 09:00" (Django's date format), in the site's time zone.
SCHEDULED_FORMAT = "j F Y, H:i"
# Cards show this many words of the introduction.
EXCERPT_WORDS = 30
# Search engines show about this many characters of a page's description.
META_DESCRIPTION_CHARS = 160
# How many leads' excerpts and descriptions each process keeps (a few MB at most).
LEADS_KEPT = 4096
# What a card shows of a publication (for_listing()); its state (is_public) needs the
# status and the publish date.
CARD_FIELDS = ("title", "slug", "lead", "status", "published_at", "publication_type__name")


class PublicationQuerySet(models.QuerySet):
    def published(self, at=None):
        """The one definition of public: published, and the publish date has arrived.

        `at` is the moment to judge by, now unless given. (The list entries, models.listing,
        keep published_or_scheduled() and judge the date the same way when read.)
        """
        return self.published_or_scheduled().filter(published_at__lte=at or timezone.now())

    def published_or_scheduled(self):
        """Published, whatever the date: public now, or once its publish date arrives."""
        return self.filter(status=Publication.Status.PUBLISHED)

    def featured(self):
        """The featured ones, in the order curators gave them (the home page's row)."""
        return self.filter(is_featured=True).order_by("featured_position", "-published_at")

    def suggestible(self):
        """Those the related lists may suggest by themselves (a curator may still pick any)."""
        return self.filter(keep_out_of_suggestions=False)

    def scheduled(self, at=None):
        """Published with a publish date still to come: public once it arrives."""
        return self.published_or_scheduled().filter(published_at__gt=at or timezone.now())

    def in_state(self, state, at=None):
        """Those whose `state` (a Publication.State) is `state` at `at`, now unless given."""
        if state == Publication.State.PUBLIC:
            return self.published(at)
        if state == Publication.State.SCHEDULED:
            return self.scheduled(at)
        return self.filter(status=Publication.Status(state))

    def in_progress(self):
        """Drafts and items in review: the work not yet published."""
        return self.filter(status__in=[Publication.Status.DRAFT, Publication.Status.REVIEW])

    def holding_file(self, name):
        """Those whose PDF or cover image is the stored file `name`."""
        return self.filter(Q(pdf=name) | Q(cover_image=name))

    def for_listing(self, *also):
        """What a card in any list shows (type, title, byline, date, excerpt), and the
        fields `also`, in two queries.

        Only those fields: the rest of a row (its files, flags, editing dates), which
        no card shows, cost a list page as much to load as the cards' own.
        """
        return (
            self.select_related("publication_type")
            .only(*CARD_FIELDS, *also)
            .prefetch_related(BYLINE_PREFETCH)
        )

    def with_topics(self):
        """Each one's topics (Publication.topics) by name, in one query for all."""
        return self.prefetch_related(TOPICS_PREFETCH)

    def with_regions(self):
        """Each one's regions (Publication.region_list) in order, in one query for all."""
        return self.prefetch_related(REGIONS_PREFETCH)

    def for_citation(self):
        """What a citation names (type, authors in byline order, tags), in three queries."""
        return (
            self.select_related("publication_type").prefetch_related(BYLINE_PREFETCH).with_topics()
        )

    # "Publications about X", one method per kind of X: the facet pages and the list
    # filters both use these.

    def about(self, region):
        """Publications about `region` or any region under it, each once."""
        placed = Publication.regions.through.objects.filter(
            publication=OuterRef("pk"),
            region__in=Region.objects.subtree_ids(region),
        )
        return self.filter(Exists(placed))

    def tagged(self, tag):
        return self.filter(tagged_items__tag=tag)

    def created_or_written_by(self, user):
        """What `user` created, or signs through their author profile (the admin's "mine")."""
        signed = Authorship.objects.filter(publication=OuterRef("pk"), author__user=user)
        return self.filter(Q(created_by=user) | Q(Exists(signed)))

    def by(self, author):
        return self.filter(authorships__author=author)

    def of_type(self, publication_type):
        return self.filter(publication_type=publication_type)

    def published_in(self, year):
        return self.filter(published_at__year=year)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def soonest_first(self):
        """By publish date, the next to go public first (scheduled ones)."""
        return self.order_by("published_at", "pk")

    def recently_edited(self):
        return self.order_by("-updated_at", "-pk")

    def for_dashboard(self):
        """What a row on the admin's home shows (title, state, byline, last edit), in two
        queries for any number of rows."""
        return self.only("title", "status", "published_at", "updated_at").prefetch_related(
            BYLINE_PREFETCH
        )

    def lock_if_unchanged(self, pk, edit_version):
        """Lock publication `pk` until this transaction ends, if it is still at `edit_version`.

        False when someone saved it since. One UPDATE compares and locks at once, so of
        two saves from forms opened at the same number exactly one gets True: the other
        waits for the lock, then finds the number moved on. Call it inside the
        transaction that saves.
        """
        unchanged = self.filter(pk=pk, edit_version=edit_version)
        return unchanged.update(edit_version=F("edit_version")) == 1


class PublicationManager(models.Manager.from_queryset(PublicationQuerySet)):
    def get_queryset(self):
        # The search document is read by the database alone (publications.search):
        # loaded with every row, it would bring a long tsvector along for nothing.
        return super().get_queryset().defer("search_document")


# A version (publications.history) holds the byline rows, tag rows and related picks
# too, so restoring one brings back the byline order, tags and picks with the text.
# The search document is derived; the edit number belongs to the row as it is now
# (a restore is itself a new save), not to a version.
@reversion.register(
    follow=["authorships", "tagged_items", "picks"], exclude=["search_document", "edit_version"]
)
class Publication(SlugFromName):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    class State(models.TextChoices):
        """Where it stands for readers (`state`): its status, with "published" told
        apart by whether the publish date has arrived. Labelled as the admin lists it."""

        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLIC = "public", "Published"

    title = models.CharField(max_length=255, help_text="The headline, in title case.")
    slug = models.SlugField(
        max_length=255,
        unique=True,
        blank=True,
        allow_unicode=True,
        help_text="The page address. Leave blank to make one from the title.",
    )
    publication_type = models.ForeignKey(
        PublicationType,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name="type",
        help_text="Issue brief, policy brief, commentary...",
    )
    lead = models.TextField(
        "introduction",
        help_text="The opening paragraph, shown under “Introduction” and used for excerpts.",
    )
    body = ProseEditorField(
        extensions=EDITOR_EXTENSIONS,
        sanitize=sanitize_html,
        blank=True,
        help_text="The full text. Scripts, styles and unsafe links are removed when you save.",
    )
    authors = models.ManyToManyField(
        Author, through="Authorship", related_name="publications", blank=True
    )
    regions = models.ManyToManyField(
        Region,
        related_name="publications",
        blank=True,
        help_text="The regions this publication is about; readers browse by these.",
    )
    tags = TaggableManager(
        through=TaggedPublication,
        blank=True,
        help_text="Topics, separated by commas. Shared tags decide what is suggested as related.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published items whose publish date has arrived are public.",
    )
    published_at = models.DateTimeField(
        "publish date",
        null=True,
        blank=True,
        help_text=(
            "The date readers see, and the order of lists. “Publish now” sets it to now and "
            "“Schedule…” to the time you choose: change it here only to correct the date "
            "of what is already published."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    is_featured = models.BooleanField(
        "featured", default=False, help_text="Show on the home page's featured row."
    )
    featured_position = models.PositiveSmallIntegerField(
        default=0,
        help_text="Order among featured publications; lower comes first. "
        "“Featured order” on the publication list sets it by dragging.",
    )
    keep_out_of_suggestions = models.BooleanField(
        "keep out of automatic suggestions",
        default=False,
        help_text="For announcements and corrections: never suggested as related to "
        "other publications. A curator's pick still shows it.",
    )
    cover_image = CleanImageField(
        upload_to=SafeUploadName("covers/%Y/", fallback="cover"),
        blank=True,
        help_text="Optional picture shown at the top of the article.",
    )
    cover_image_alt = models.CharField(
        "cover image description",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it. Required with a cover image.",
    )
    pdf = UploadFileField(
        "PDF",
        upload_to=SafeUploadName("pdfs/%Y/", fallback="publication"),
        blank=True,
        validators=[validate_pdf],
        help_text="The printable version. Only real PDF files are accepted.",
    )
    seo_description = models.CharField(
        "search description",
        max_length=300,
        blank=True,
        help_text="One or two sentences for search engines; the introduction is used when blank.",
    )
    # PostgreSQL's full-text document (publications.search.postgresql builds it, and
    # publications.receivers keep it fresh); its GIN
    # index is made by migration 0012 on PostgreSQL only. Unused on SQLite, which
    # searches its own FTS5 table.
    search_document = SearchVectorField(null=True, editable=False)
    related_picks = models.ManyToManyField(
        "self",
        through="RelatedPick",
        through_fields=("from_publication", "to_publication"),
        symmetrical=False,
        blank=True,
        related_name="+",
    )

    # Moves on with every save, by any path; the admin's form carries the number it was
    # opened at, and a save from a form opened before another save is refused
    # (PublicationQuerySet.lock_if_unchanged). Not "version": that is django-reversion's word.
    edit_version = models.PositiveIntegerField(default=0, editable=False)

    slug_source = "title"
    slug_fallback = "publication"

    objects = PublicationManager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [
            ("publish_publication", "Can publish, schedule, unpublish and feature publications"),
            ("write_publication", "Can write publications (title, text, byline, files)"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(cover_image="") | ~Q(cover_image_alt=""),
                name="cover_image_has_alt",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="publication_has_slug"),
        ]
        indexes = [
            # published() newest first (home, lists), and the related ranking's
            # join, which reads only these columns, so it can scan the index alone.
            models.Index(fields=["status", "-published_at", "-id"], name="pub_public_newest_idx"),
            # The related lists' read looks each of forty-odd candidates up by key, asking
            # only whether it is public and suggestible, and its date: answered by this
            # index alone, not by the table's rows, which at 100,000 publications (3.5 KB
            # each) outgrow what PostgreSQL keeps in memory by default.
            models.Index(
                fields=["id", "status", "published_at", "keep_out_of_suggestions"],
                name="pub_candidate_probe_idx",
            ),
            # The admin changelist's default order, latest edits first (ordering
            # "-updated_at", and the pk Django adds to it): its first page reads 50 rows
            # of the index instead of sorting every publication.
            models.Index(fields=["-updated_at", "-id"], name="pub_last_edited_idx"),
            # The home page's featured row.
            models.Index(
                fields=["featured_position"], condition=Q(is_featured=True), name="pub_featured_idx"
            ),
            # The media view's holding_file(): is this file a draft's?
            models.Index(fields=["pdf"], condition=~Q(pdf=""), name="pub_pdf_idx"),
            models.Index(
                fields=["cover_image"], condition=~Q(cover_image=""), name="pub_cover_image_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        self._date_an_undated_publish()
        if not self._state.adding:
            # Counted by the database, so a script holding an old copy still moves it on.
            self.edit_version = F("edit_version") + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "edit_version"}
        super().save(*args, **kwargs)
        if not isinstance(self.edit_version, int):
            # Read again from the database when next used.
            del self.edit_version

    def get_absolute_url(self):
        return slug_url("publications:detail", self.slug)

    # Publishing: the state changes alone. Who may make them is publications.policy's
    # answer (its publish(), schedule() and unpublish() check the user, then call
    # these); called directly, as commands and imports do, they trust the caller.
    # Each only sets the fields, and the caller saves.

    def publish(self):
        """Make it public now (a scheduled item's date is brought forward to now)."""
        self.status = self.Status.PUBLISHED
        self.published_at = timezone.now()

    def schedule(self, at):
        """Make it public at `at`, a moment still to come."""
        self.check_schedule(at)
        self.status = self.Status.PUBLISHED
        self.published_at = at

    @staticmethod
    def check_schedule(at):
        """Refuse (ValidationError) to schedule for `at` unless it is still to come."""
        if at <= timezone.now():
            raise ValidationError(
                {"published_at": "A scheduled publish date must be in the future."}
            )

    def unpublish(self):
        """Take it off the public site; it keeps its publish date for a later publish."""
        self.status = self.Status.DRAFT

    def _date_an_undated_publish(self):
        # "Published" with no date means "publish now" (the form leaves the date blank).
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.publish()

    def clean(self):
        super().clean()
        # Before the constraints are validated: "published" needs a date.
        self._date_an_undated_publish()
        if self.cover_image and not self.cover_image_alt.strip():
            raise ValidationError(
                {"cover_image_alt": "Describe the cover image for readers who cannot see it."}
            )
        self._refuse_an_address_in_use()

    def _refuse_an_address_in_use(self):
        """A slug typed in that is another publication's old slug would end its redirect.

        A slug made from the title skips those already (_slugs_kept_for_others); an
        item that has had the slug since before it led elsewhere keeps it.
        """
        others = Publication.objects.exclude(pk=self.pk)
        other = OldSlug.objects.moved(others.only("title"), self.slug)
        if other is None or Publication.objects.filter(pk=self.pk, slug=self.slug).exists():
            return
        raise ValidationError(
            {
                "slug": f"The address “{self.slug}” still leads to “{other.title}”, "
                "which had it before; choose another."
            }
        )

    def _slugs_kept_for_others(self, base):
        return OldSlug.objects.kept_for_others(Publication, base, but=self.pk)

    @property
    def state(self):
        """Where it stands for readers: PublicationQuerySet.published()'s rule read on
        this one object. Public once published and its publish date has arrived;
        scheduled while that date is to come."""
        if self.status != self.Status.PUBLISHED:
            return self.State(self.status)
        # Published without a date yet means "now": saving dates it so.
        if self.published_at is not None and self.published_at > timezone.now():
            return self.State.SCHEDULED
        return self.State.PUBLIC

    @property
    def is_public(self):
        return self.state == self.State.PUBLIC

    @property
    def is_scheduled(self):
        return self.state == self.State.SCHEDULED

    @property
    def not_public_because(self):
        """Why readers cannot see it, for the preview banner: "draft", "in review" or
        "scheduled for 3 December 2026, 09:00"; empty when it is public."""
        state = self.state
        if state == self.State.PUBLIC:
            return ""
        if state == self.State.SCHEDULED:
            when = format_date(timezone.localtime(self.published_at), SCHEDULED_FORMAT)
            return f"scheduled for {when}"
        return state.label.lower()

    @property
    def topics(self):
        """Its tags by name; uses the with_topics() prefetch when present."""
        prefetched = getattr(self, "prefetched_topics", None)
        if prefetched is not None:
            return prefetched
        return [item.tag for item in self.tagged_items.select_related("tag").order_by("tag__name")]

    @property
    def region_list(self):
        """Its regions in order; uses the with_regions() prefetch when present."""
        prefetched = getattr(self, "prefetched_regions", None)
        if prefetched is not None:
            return prefetched
        return list(self.regions.all())

    @property
    def byline(self):
        """Authors in byline order; uses BYLINE_PREFETCH (for_listing()) when present."""
        prefetched = getattr(self, "prefetched_byline", None)
        if prefetched is not None:
            return prefetched
        return [authorship.author for authorship in self.authorships.select_related("author")]

    @property
    def lead_text(self):
        """The introduction as one line of plain text: no tags, single spaces.

        It is typed as plain text, but text pasted in may bring tags and character
        references along.
        """
        return plain_text(self.lead)

    @property
    def excerpt(self):
        """The introduction's plain text, cut at a word boundary and ending in "[…]"."""
        return _excerpt(self.lead)

    @property
    def meta_description(self):
        return self.seo_description or _described(self.lead)


# Every card shows an excerpt, and an article's head its description three times:
# each is kept per lead, the text itself, so an edited lead is simply another key.
@lru_cache(maxsize=LEADS_KEPT)
def _excerpt(lead):
    # The article always goes on, so even a short lead ends in the ellipsis. The plain
    # text has one space between words: what Truncator.words() cuts, at a third of
    # its cost.
    return " ".join(plain_text(lead).split(" ")[:EXCERPT_WORDS]) + " […]"


@lru_cache(maxsize=LEADS_KEPT)
def _described(lead):
    return Truncator(plain_text(lead)).chars(META_DESCRIPTION_CHARS)


@reversion.register()
class Authorship(models.Model):
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="authorships"
    )
    author = models.ForeignKey(
        Author,
        on_delete=models.PROTECT,
        related_name="authorships",
        help_text="Type a name to find the author; add authors in the order of the byline.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Byline order; lower comes first."
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "author"], name="unique_authorship"),
        ]

    def __str__(self):
        return f"{self.author} on {self.publication}"


class OwnStatement:
    """What every uncached page loads for many publications: each one's rows of `model`
    (its `fields`), reached through the link table of `through` (its `publication`
    and `item` columns), ordered by `order_by` (SQL on the aliases `link` and `item`,
    naming only `fields` of `item`), in one statement written here. Set on Publication
    (its bylines, topics and regions below), it is the hook that prefetch_related()
    calls on a relation (as GenericForeignKey has it), so
    prefetch_related(Prefetch(name, to_attr=...)) and prefetch_related_objects() load it.

    Through the ORM (a prefetch of the relation, or a values_list()), building and
    compiling the query cost several times what running it and making the instances
    does: for the bylines of a list page's 20 cards, 3.2 ms against 1.1 ms of CPU on
    this project's machine at 100,000 publications, about a sixth of the page.
    """

    # Publications per statement: within every database's limit of parameters.
    PER_STATEMENT = 500

    def __init__(self, model, fields, *, through, publication, item, order_by):
        self.model, self.fields, self.through = model, fields, through
        self.publication, self.item, self.order_by = publication, item, order_by

    def __get__(self, instance, owner=None):
        return self

    def _columns_and_rows(self, quote):
        """The select list of `fields`, and the FROM clause of the rows of `model` with
        their link rows (aliases `item` and `link`), for the statements below."""
        columns = ", ".join(f"item.{quote(name)}" for name in self.fields)
        rows = (
            f"FROM {quote(self.through._meta.db_table)} link "
            f"JOIN {quote(self.model._meta.db_table)} item "
            f"ON item.{quote(self.model._meta.pk.column)} = link.{quote(self.item)}"
        )
        return columns, rows

    def _sql(self, quote, count):
        columns, rows = self._columns_and_rows(quote)
        publications = ", ".join(f"%(publication{n})s" for n in range(count))
        return (
            f"SELECT link.{quote(self.publication)}, {columns} {rows} "
            f"WHERE link.{quote(self.publication)} IN ({publications}) "
            f"ORDER BY {self.order_by}"
        )

    def json_sql(self, connection, publication):
        """On PostgreSQL, SQL for a column of the rows of one publication (the SQL
        `publication` names its key), in order, as JSON: a statement of our own that
        reads a publication can read its rows with it, and the page saves a round
        trip (compiled.by_slug()). None on other databases: their rows are then
        loaded by the prefetch, which is as cheap there as a column."""
        if connection.vendor != "postgresql":
            return None
        quote = connection.ops.quote_name
        columns, _ = self._columns_and_rows(quote)
        of_one = ", ".join(f"one.{quote(name)}" for name in self.fields)
        key = f"one.{quote(self.model._meta.pk.column)} = link.{quote(self.item)}"
        # Each item is read by its key, for one link row at a time. Joined plainly, the
        # planner hashed the whole item table for a publication's few rows: with 2,000
        # tags, 0.26 ms for an article's topics against 0.013 ms, and more with every
        # tag added. OFFSET 0 keeps it from turning the lateral read back into that join.
        return (
            f"(SELECT COALESCE(json_agg(json_build_array({columns}) "
            f"ORDER BY {self.order_by}), '[]')::text "
            f"FROM {quote(self.through._meta.db_table)} link CROSS JOIN LATERAL "
            f"(SELECT {of_one} FROM {quote(self.model._meta.db_table)} one "
            f"WHERE {key} OFFSET 0) item "
            f"WHERE link.{quote(self.publication)} = {publication})"
        )

    def from_json(self, connection, text):
        """The instances of `model` in a column that json_sql() wrote. Its fields are
        keys, names and numbers, which JSON gives as the driver would."""
        alias = connection.alias
        return [
            instance_from_db(self.model, alias, self.fields, values) for values in json.loads(text)
        ]

    def get_prefetch_querysets(self, instances, querysets=None):
        if querysets:
            raise ValueError(f"Loads {self.model.__name__} {self.fields}, with no queryset.")
        connection = connections[self.model.objects.db]
        ids = [publication.pk for publication in instances]
        loaded, publication_of = [], {}
        for start in range(0, len(ids), self.PER_STATEMENT):
            chunk = ids[start : start + self.PER_STATEMENT]
            with connection.cursor() as cursor:
                # Planned once per connection and number of publications on PostgreSQL:
                # planning took about as long as running it.
                prepared_statements.execute(
                    cursor,
                    f"own_{self.model._meta.model_name}",
                    self._sql(connection.ops.quote_name, len(chunk)),
                    {f"publication{n}": pk for n, pk in enumerate(chunk)},
                )
                rows = cursor.fetchall()
            for publication_id, *values in rows:
                instance = instance_from_db(self.model, connection.alias, self.fields, values)
                loaded.append(instance)
                publication_of[id(instance)] = publication_id
        # What prefetch_related() asks of a relation: what was loaded, each one's
        # publication, a publication's key, one each?, where to, a field's descriptor?
        return loaded, lambda one: publication_of[id(one)], attrgetter("pk"), False, None, False


# A byline shows a name linked to the author's page, and a citation sorts by sort_name:
# an author's biography and links are read on their own page, not for each card.
Publication.byline_authors = OwnStatement(
    Author,
    ("id", "name", "slug", "sort_name"),
    through=Authorship,
    publication="publication_id",
    item="author_id",
    order_by="link.position, link.id",
)
BYLINE_PREFETCH = Prefetch("byline_authors", to_attr="prefetched_byline")

Publication.topic_tags = OwnStatement(
    Tag,
    ("id", "name", "slug"),
    through=TaggedPublication,
    publication="content_object_id",
    item="tag_id",
    order_by="item.name",
)
TOPICS_PREFETCH = Prefetch("topic_tags", to_attr="prefetched_topics")

Publication.listed_regions = OwnStatement(
    Region,
    ("id", "name", "slug", "parent_id", "sort_order"),
    through=Publication.regions.through,
    publication="publication_id",
    item="region_id",
    order_by="item.sort_order, item.name",  # Region's Meta.ordering: its menu order
)
REGIONS_PREFETCH = Prefetch("listed_regions", to_attr="prefetched_regions")


# What a card loads (CARD_FIELDS), for a statement of our own that reads cards (the
# related list's read in publications.related.ranking, a list's page in
# models.listing): the publication's own fields in the order Model.from_db() takes
# them, its type's key among them, and then its type's fields.
CARD_OWN_FIELDS = [
    field
    for field in Publication._meta.concrete_fields
    if field.name in {"id", "publication_type", *CARD_FIELDS}
]
CARD_TYPE_FIELDS = [
    PublicationType._meta.get_field(name.removeprefix("publication_type__"))
    for name in CARD_FIELDS
    if name.startswith("publication_type__")
]
# Both, in the order a card's statement reads them.
CARD_READ_FIELDS = (*CARD_OWN_FIELDS, *CARD_TYPE_FIELDS)
# The same, as a values() query names them.
CARD_VALUES = (
    *(field.name for field in CARD_OWN_FIELDS),
    *(f"publication_type__{field.name}" for field in CARD_TYPE_FIELDS),
)


def public_cards_sql(connection):
    """published()'s publications as cards, compiled for a statement of our own that
    reads them as the subquery `publication` (see thinktank.building_blocks.compiled:
    the moment it judges by is STANDS_FOR_NOW, which each run replaces). Returns (its
    SQL, its parameters, the select list of its CARD_VALUES, and the column that reads
    each one's byline with it: "" on databases where the prefetch is as cheap, else a
    select item after a comma). card_from_values() makes each row into a card."""
    public = Publication.objects.published(at=STANDS_FOR_NOW).order_by().values(*CARD_VALUES)
    sql, params = named(public, "public")
    quote = connection.ops.quote_name
    bylines = Publication.byline_authors.json_sql(connection, f"publication.{quote('id')}")
    cards = ", ".join(f"publication.{quote(name)}" for name in CARD_VALUES)
    return sql, params, cards, f", {bylines}" if bylines else ""


def card_from_values(connection, values):
    """The publication whose CARD_VALUES `connection` read as `values`, as for_listing()
    loads it. Its byline is set, as BYLINE_PREFETCH sets it, when `values` end with it
    (public_cards_sql()); else prefetch BYLINE_PREFETCH."""
    values, byline = values[: len(CARD_READ_FIELDS)], values[len(CARD_READ_FIELDS) :]
    values = converted_row(connection, CARD_READ_FIELDS, values)
    own, of_type = values[: len(CARD_OWN_FIELDS)], values[len(CARD_OWN_FIELDS) :]
    alias = connection.alias
    publication = instance_from_db(
        Publication, alias, [field.attname for field in CARD_OWN_FIELDS], own
    )
    publication_type = instance_from_db(
        PublicationType,
        alias,
        ["id", *(field.attname for field in CARD_TYPE_FIELDS)],
        [publication.publication_type_id, *of_type],
    )
    Publication.publication_type.field.set_cached_value(publication, publication_type)
    if byline:
        (text,) = byline
        authors = Publication.byline_authors.from_json(connection, text)
        setattr(publication, BYLINE_PREFETCH.to_attr, authors)
    return publication


def public_by_slug(slug):
    """The public publication with `slug`, with its type, or None: what
    published().select_related("publication_type").get(slug=slug) reads, by a statement
    compiled once per process (building_blocks.compiled.by_slug()). On PostgreSQL the
    same statement reads its topics, regions and byline, as the prefetches TOPICS_,
    REGIONS_ and BYLINE_PREFETCH load them; elsewhere those prefetches load them."""
    return by_slug(
        Publication,
        slug,
        related="publication_type",
        items=Publication.objects.published,
        lists=(TOPICS_PREFETCH, REGIONS_PREFETCH, BYLINE_PREFETCH),
    )


@reversion.register()
class RelatedPick(models.Model):
    """A curator's hand-picked related publication; asymmetric and ordered."""

    from_publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="picks"
    )
    to_publication = models.ForeignKey(
        Publication,
        on_delete=models.CASCADE,
        related_name="picked_by",
        verbose_name="publication",
        help_text="Type part of a title. Only published publications are offered.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "related pick"
        constraints = [
            models.UniqueConstraint(
                fields=["from_publication", "to_publication"], name="unique_related_pick"
            ),
            models.CheckConstraint(
                condition=~Q(from_publication=F("to_publication")), name="related_pick_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.from_publication} → {self.to_publication}"

    def clean(self):
        if self.from_publication_id and self.from_publication_id == self.to_publication_id:
            raise ValidationError({"to_publication": "A publication cannot be related to itself."})
