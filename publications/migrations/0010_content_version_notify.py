from django.db import migrations

# PostgreSQL only: each worker LISTENs on this channel (publications.models.content_version._Watcher).
# NOTIFY is sent when the transaction that moved the row on commits, and only to
# sessions of the same database.
CREATE = """
CREATE OR REPLACE FUNCTION publications_content_version_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('thinktank_content_version', NEW.version::text);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS content_version_notify ON publications_contentversion;
CREATE TRIGGER content_version_notify
    AFTER INSERT OR UPDATE ON publications_contentversion
    FOR EACH ROW EXECUTE FUNCTION publications_content_version_notify();
"""
DROP = """
DROP TRIGGER IF EXISTS content_version_notify ON publications_contentversion;
DROP FUNCTION IF EXISTS publications_content_version_notify();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("publications", "0009_slugs_never_empty")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
