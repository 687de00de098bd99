import reversion
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from thinktank.building_blocks.links import validate_safe_link
from thinktank.building_blocks.slugs import SlugFromName
from thinktank.building_blocks.uploads import CleanImageField, SafeUploadName
from thinktank.building_blocks.urls import slug_url

orcid_validator = RegexValidator(
    r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$",
    "Enter an ORCID iD like 0000-0002-1825-0097 (without the https://orcid.org/ part).",
)


@reversion.register()
class Author(SlugFromName):
    name = models.CharField(max_length=200, help_text="Full name as it appears in a byline.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        allow_unicode=True,
        help_text="Part of the author's page address: letters (any script), digits and hyphens. Leave blank to make one from the name.",
    )
    sort_name = models.CharField(
        max_length=200,
        help_text='Family name first, for citations and alphabetical lists: "Shin, Mitch".',
    )
    role = models.CharField(
        max_length=200, blank=True, help_text='Title shown under the name, e.g. "Senior Fellow".'
    )
    bio = models.TextField(
        blank=True, help_text="A short biography in plain text; blank lines start new paragraphs."
    )
    photo = CleanImageField(
        upload_to=SafeUploadName("authors/", fallback="portrait"),
        blank=True,
        help_text="A portrait, at least 400 pixels wide.",
    )
    website = models.URLField(
        blank=True,
        validators=[validate_safe_link],
        help_text="Personal or institutional web page, starting with https://.",
    )
    orcid = models.CharField(
        "ORCID iD",
        max_length=19,
        blank=True,
        validators=[orcid_validator],
        help_text="For academic citations, e.g. 0000-0002-1825-0097.",
    )
    social_url = models.URLField(
        "social profile",
        blank=True,
        validators=[validate_safe_link],
        help_text="One public social-media profile (LinkedIn, Bluesky, X...).",
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Untick for former staff: their page and bylines stay, but they leave the experts list.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="The login this author uses to write in the admin, if any.",
    )
    wordpress_login = models.CharField(
        max_length=60,
        blank=True,
        db_index=True,
        help_text="Their user name on the old WordPress site; a re-run of the import matches on it.",
    )

    slug_fallback = "author"
    # Checked on every save, not only in the admin form: these become links on the
    # author's page, and a script or import that writes javascript: here must fail.
    link_fields = ("website", "orcid", "social_url")

    class Meta:
        ordering = ["sort_name", "name"]
        constraints = [models.CheckConstraint(condition=~Q(slug=""), name="author_has_slug")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.clean_fields(
            exclude=[
                field.name for field in self._meta.fields if field.name not in self.link_fields
            ]
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("authors:detail", self.slug)

    @property
    def links(self):
        """The author's links for their page, as stored: the template's url_if_safe
        filter drops any that a write around save() left unsafe."""
        candidates = [
            ("Website", self.website, "noopener"),
            ("ORCID " + self.orcid, self.orcid and f"https://orcid.org/{self.orcid}", "noopener"),
            ("Social profile", self.social_url, "noopener me"),
        ]
        return [{"label": label, "url": url, "rel": rel} for label, url, rel in candidates if url]

    @property
    def bio_paragraphs(self):
        return [part.strip() for part in self.bio.split("\n\n") if part.strip()]
