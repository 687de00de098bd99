"""Each list's total, and the lists of a type's publications about a region
(publications.models.listing): the list entries and their months rebuilt with them,
from the publications there are."""

from django.db import migrations, models


def fill_list_entries(apps, schema_editor):
    from publications.models import refresh_list_entries

    refresh_list_entries(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0027_search_vocabulary"),
    ]

    operations = [
        migrations.AlterField(
            model_name="listentry",
            name="kind",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (1, "Author"),
                    (2, "Tag"),
                    (3, "Region"),
                    (4, "Type"),
                    (5, "All"),
                    (6, "Type Region"),
                ]
            ),
        ),
        migrations.AlterField(
            model_name="listmonth",
            name="kind",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (1, "Author"),
                    (2, "Tag"),
                    (3, "Region"),
                    (4, "Type"),
                    (5, "All"),
                    (6, "Type Region"),
                ]
            ),
        ),
        migrations.CreateModel(
            name="ListTotal",
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
                        choices=[
                            (1, "Author"),
                            (2, "Tag"),
                            (3, "Region"),
                            (4, "Type"),
                            (5, "All"),
                            (6, "Type Region"),
                        ]
                    ),
                ),
                ("item", models.BigIntegerField()),
                ("entries", models.PositiveIntegerField(default=0)),
            ],
            options={
                "ordering": ["kind", "item"],
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "item"), name="list_total_once")
                ],
            },
        ),
        migrations.RunPython(fill_list_entries, migrations.RunPython.noop),
    ]
