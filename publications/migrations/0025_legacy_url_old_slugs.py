"""A post's earlier WordPress addresses (_wp_old_slug) beside its current one, and old
paths spelt with one slash between segments.

The path rule is a copy of normalise_legacy_path() as it now is (migrations must not
import code that changes). A path that collapses onto one already stored is left as it
was: the next import run settles it.
"""

import re

from django.db import migrations, models


def collapse_double_slashes(apps, schema_editor):
    LegacyURL = apps.get_model("publications", "LegacyURL")
    for legacy in LegacyURL.objects.filter(path__contains="//"):
        path = re.sub("/{2,}", "/", legacy.path).rstrip("/") or "/"
        if not LegacyURL.objects.filter(path=path).exists():
            legacy.path = path
            legacy.save(update_fields=["path"])


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0024_image_uses"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="legacyurl",
            name="unique_legacy_wordpress_id",
        ),
        migrations.AddField(
            model_name="legacyurl",
            name="is_old_slug",
            field=models.BooleanField(
                default=False,
                help_text="An address the post had under an earlier slug (WordPress's _wp_old_slug).",
            ),
        ),
        migrations.AddConstraint(
            model_name="legacyurl",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_old_slug", False)),
                fields=("site_url", "wordpress_id"),
                name="unique_legacy_wordpress_id",
            ),
        ),
        migrations.RunPython(collapse_double_slashes, migrations.RunPython.noop),
    ]
