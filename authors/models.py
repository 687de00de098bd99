from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

orcid_validator = RegexValidator(
    r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$",
    "Enter an ORCID iD like 0000-0002-1825-0097 (without the https://orcid.org/ part).",
)


class Author(models.Model):
    name = models.CharField(max_length=200, help_text="Full name as it appears in a byline.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="Part of the author's page address; letters, digits and hyphens.",
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
    photo = models.ImageField(
        upload_to="authors/", blank=True, help_text="A portrait, at least 400 pixels wide."
    )
    website = models.URLField(blank=True, help_text="Personal or institutional web page.")
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

    class Meta:
        ordering = ["sort_name", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("authors:detail", kwargs={"slug": self.slug})

    @property
    def bio_paragraphs(self):
        return [part.strip() for part in self.bio.split("\n\n") if part.strip()]
