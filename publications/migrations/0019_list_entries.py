"""The list entries and their months (publications.models.listing), filled by
0028_list_totals, which the code that fills them needs."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0018_related_lists"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.PositiveSmallIntegerField(
                        choices=[(1, "Author"), (2, "Tag"), (3, "Region"), (4, "Type"), (5, "All")]
                    ),
                ),
                ("item", models.BigIntegerField()),
                ("month", models.DateTimeField()),
                ("entries", models.PositiveIntegerField(default=0)),
            ],
            options={
                "ordering": ["kind", "item", "-month"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "item", "month"), name="list_month_once"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ListEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.PositiveSmallIntegerField(
                        choices=[(1, "Author"), (2, "Tag"), (3, "Region"), (4, "Type"), (5, "All")]
                    ),
                ),
                ("item", models.BigIntegerField()),
                ("published_at", models.DateTimeField()),
                (
                    "publication",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="publications.publication",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "list entries",
                "ordering": ["kind", "item", "-published_at", "-publication"],
                "indexes": [
                    models.Index(
                        fields=["kind", "item", "-published_at", "-publication"],
                        name="list_entry_newest",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "item", "publication"), name="list_entry_once"
                    )
                ],
            },
        ),
    ]
