from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0008_fix_slugs_for_unicode_routes"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='publication',
            constraint=models.CheckConstraint(condition=models.Q(('slug', ''), _negated=True), name='publication_has_slug'),
        ),
        migrations.AddConstraint(
            model_name='publicationtype',
            constraint=models.CheckConstraint(condition=models.Q(('slug', ''), _negated=True), name='publication_type_has_slug'),
        ),
        migrations.AddConstraint(
            model_name='region',
            constraint=models.CheckConstraint(condition=models.Q(('slug', ''), _negated=True), name='region_has_slug'),
        ),
    ]
