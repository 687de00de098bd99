"""The index of the tags' list entries still to come, which the topics index counts
(publications.models.listing.topic_index())."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0028_list_totals"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="listentry",
            index=models.Index(
                condition=models.Q(("kind", 2)),
                fields=["published_at", "item"],
                name="list_entry_tag_to_come",
            ),
        ),
    ]
