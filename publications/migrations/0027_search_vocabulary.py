from django.db import migrations, models

# PostgreSQL: pg_trgm, and a trigram index for the similarity of known words ("Did you
# mean …?"). SQLite compares words in Python (publications.search.sqlite), and keeps
# its FTS5 table with the lead and the linked names in columns of their own, so that a
# result's passage is taken from the lead or the body, never from a list of names.
POSTGRES_CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX publications_searchword_trigram_idx
    ON publications_searchword USING gin (word gin_trgm_ops);
"""
POSTGRES_DROP = "DROP INDEX IF EXISTS publications_searchword_trigram_idx"
SQLITE_CREATE = """
DROP TABLE IF EXISTS publications_search;
CREATE VIRTUAL TABLE publications_search USING fts5(
    title, lead, names, body, tokenize = 'porter unicode61 remove_diacritics 2'
);
"""
SQLITE_DROP = """
DROP TABLE IF EXISTS publications_search;
CREATE VIRTUAL TABLE publications_search USING fts5(
    title, about, body, tokenize = 'porter unicode61 remove_diacritics 2'
);
"""


def create_search(apps, schema_editor):
    from publications import search

    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)
    elif search.sqlite_has_fts5(connection):
        for statement in filter(str.strip, SQLITE_CREATE.split(";")):
            schema_editor.execute(statement)
    # Every document, in the columns above, and the vocabulary of them all.
    search.refresh_search_documents(using=connection.alias)


def drop_search(apps, schema_editor):
    from publications import search

    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif search.sqlite_has_fts5(connection):
        # Empty: rebuild the documents with `manage.py migrate` forwards again.
        for statement in filter(str.strip, SQLITE_DROP.split(";")):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("publications", "0026_image_imported_from")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=40, unique=True)),
            ],
            options={"ordering": ["word"]},
        ),
        migrations.RunPython(create_search, drop_search),
    ]
