"""The index the related lists' read looks its candidates up in
(publications.related.ranking), without reading the publications' rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0029_list_entry_tag_to_come"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                fields=["id", "status", "published_at", "keep_out_of_suggestions"],
                name="pub_candidate_probe_idx",
            ),
        ),
    ]
