from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("authors", "0002_unicode_slug"),
        # Gives every author without a valid slug one first.
        ("publications", "0008_fix_slugs_for_unicode_routes"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="author",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", ""), _negated=True), name="author_has_slug"
            ),
        ),
    ]
