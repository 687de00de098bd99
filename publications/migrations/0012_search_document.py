import django.contrib.postgres.search
from django.db import migrations

# PostgreSQL: English stemming that ignores accents ("Sécurité" finds "securite"),
# the GIN index the search matches with (migration 0022 builds the documents).
# The configuration and the extension must exist before the index and the documents.
POSTGRES_CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION thinktank_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION thinktank_english
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE INDEX publication_search_document_idx
    ON publications_publication USING gin (search_document);
"""
POSTGRES_DROP = """
DROP INDEX IF EXISTS publication_search_document_idx;
DROP TEXT SEARCH CONFIGURATION IF EXISTS thinktank_english;
"""
# SQLite: an FTS5 table of its own (rowid = the publication's id), in the column order
# that publications.search weights: title, then lead with tags, authors and regions,
# then the body. Porter stemming; remove_diacritics makes accents not matter.
SQLITE_CREATE = """
CREATE VIRTUAL TABLE publications_search USING fts5(
    title, about, body, tokenize = 'porter unicode61 remove_diacritics 2'
)
"""


def create_search(apps, schema_editor):
    from publications import search

    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)
    elif vendor == "sqlite" and search.sqlite_has_fts5(schema_editor.connection):
        schema_editor.execute(SQLITE_CREATE)
    # The documents are built by 0022, in the shape today's code writes them.


def drop_search(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS publications_search")


class Migration(migrations.Migration):
    dependencies = [("publications", "0011_uploads_safe_names_and_clean_images")]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="search_document",
            # Filled and read on PostgreSQL only; SQLite keeps its own FTS5 table.
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True
            ),
        ),
        migrations.RunPython(create_search, drop_search),
    ]
