"""Backups: the database, the media files and a manifest in one folder.

    manifest.json     what was saved: counts of rows in every table, a checksum of
                      every publication body and of every media file, the migrations
                      applied, and the database kind; restore checks its work against it
    database.sqlite3  SQLite: a copy made with SQLite's online backup API
    database.pgdump   PostgreSQL: pg_dump's custom format, for pg_restore
    media/            a copy of MEDIA_ROOT (not with MEDIA_STORAGE=s3: see below)

The counts and checksums describe exactly what was dumped: on SQLite they are read
from the copy; on PostgreSQL from the snapshot pg_dump reads (pg_export_snapshot), so
a save during the backup cannot make a correct backup fail its check.

Media in a bucket (MEDIA_STORAGE=s3) are not copied: the bucket keeps them, and the
place to protect them is the bucket itself (versioning, and replication to a bucket
in another region). The commands say so when they skip them.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from publications.models import Publication

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMP_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Tables `migrate` fills by itself: a database holding rows only there is empty.
MIGRATE_FILLS = {"django_migrations", "django_content_type", "auth_permission"}


def sha256_of_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def database_inventory(cursor, tables):
    """{"tables": {table: rows}, "bodies": {publication id: sha256 of its body}}, read
    through a DB-API cursor on either database."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    cursor.execute(f'SELECT id, body FROM "{Publication._meta.db_table}"')
    bodies = {str(pk): hashlib.sha256(body.encode()).hexdigest() for pk, body in cursor.fetchall()}
    return {"tables": counts, "bodies": bodies}


def media_inventory(root):
    """{path under root: sha256} of every file under `root`."""
    root = Path(root)
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): sha256_of_file(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def media_on_disk():
    return settings.MEDIA_STORAGE == "local"


def applied_migrations(cursor):
    cursor.execute("SELECT app, name FROM django_migrations")
    applied = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def database_vendor():
    if connection.vendor not in DUMP_FILES:
        raise CommandError(f"Backups cover SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def postgres_command(program, *arguments):
    """`program` (pg_dump, pg_restore) with the connection settings Django uses, and
    the environment that carries the password and TLS mode."""
    database = connection.settings_dict
    command = [program]
    for option, value in [
        ("--host", database["HOST"]),
        ("--port", database["PORT"]),
        ("--username", database["USER"]),
    ]:
        if value:
            command += [option, str(value)]
    environment = dict(os.environ)
    if database["PASSWORD"]:
        environment["PGPASSWORD"] = database["PASSWORD"]
    if database["OPTIONS"].get("sslmode"):
        environment["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    return [*command, "--dbname", database["NAME"], *arguments], environment


def run_postgres_tool(program, *arguments):
    command, environment = postgres_command(program, *arguments)
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True)
    except FileNotFoundError:
        raise CommandError(
            f"{program} was not found. Install the PostgreSQL client of the server's "
            "version (Debian: apt-get install postgresql-client)."
        ) from None
    if result.returncode != 0:
        raise CommandError(f"{program} failed: {result.stderr.strip()}")


# Backup


def back_up(folder):
    """Writes a backup into `folder`, which must not exist yet; returns the manifest.

    It is written under a temporary name and renamed at the end, so a folder with
    the final name is always a complete backup.
    """
    folder = Path(folder)
    if folder.exists():
        raise CommandError(f"{folder} already exists. Name a new folder for the backup.")
    vendor = database_vendor()
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        dump = partial / DUMP_FILES[vendor]
        contents = dump_sqlite(dump) if vendor == "sqlite" else dump_postgres(dump)
        media = None
        if media_on_disk():
            if Path(settings.MEDIA_ROOT).is_dir():
                shutil.copytree(settings.MEDIA_ROOT, partial / MEDIA)
            media = media_inventory(partial / MEDIA)
        manifest = {"format": FORMAT, "database": vendor, **contents, "media": media}
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    partial.rename(folder)
    return manifest


def dump_sqlite(path):
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [name for (name,) in cursor.fetchall() if not name.startswith("sqlite_")]
        return {
            "migrations": applied_migrations(cursor),
            **database_inventory(cursor, tables),
        }
    finally:
        copy.close()


def dump_postgres(path):
    # The inventory and pg_dump read the same snapshot of the database.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        run_postgres_tool("pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", path)
        return {
            "migrations": applied_migrations(cursor),
            **database_inventory(cursor, connection.introspection.table_names(cursor)),
        }


# Restore


def read_manifest(folder):
    path = Path(folder) / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise CommandError(f"{folder} is not a backup: it has no {MANIFEST}.") from None
    except (ValueError, UnicodeDecodeError):
        raise CommandError(f"{path} is damaged: it is not the JSON a backup writes.") from None
    if manifest.get("format") != FORMAT:
        raise CommandError(
            f"{folder} was written in backup format {manifest.get('format')!r}; this "
            f"version of thinktank reads format {FORMAT}. Restore it with the version that made it."
        )
    return manifest


def refuse_what_does_not_fit(manifest, force):
    """Raises CommandError, saying what to do, unless the backup can go here."""
    vendor = database_vendor()
    if manifest["database"] != vendor:
        raise CommandError(
            f"This backup is of a {manifest['database']} database and DATABASE_URL points "
            f"to {vendor}. Restore it into the same kind of database."
        )
    known = {(app, name) for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise CommandError(
            "This backup comes from a newer version of thinktank: its database has "
            f"migrations this code does not know ({', '.join(unknown[:5])}). Deploy the "
            "version that made it, then restore."
        )
    if manifest["media"] and not media_on_disk():
        raise CommandError(
            "This backup holds media files, and MEDIA_STORAGE is s3: copy its media/ "
            "folder into the bucket, then run restore again with --skip-media."
        )
    if not force:
        filled = filled_tables()
        if filled:
            raise CommandError(
                "The database is not empty (rows in "
                f"{', '.join(filled[:5])}{'...' if len(filled) > 5 else ''}). Restore into an "
                "empty database, or pass --force to replace what it holds."
            )
        if media_on_disk() and media_inventory(settings.MEDIA_ROOT):
            raise CommandError(
                f"MEDIA_ROOT ({settings.MEDIA_ROOT}) already holds files. Restore into an "
                "empty folder, or pass --force to add the backup's files to them."
            )


def filled_tables():
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor)) - MIGRATE_FILLS
        filled = []
        for table in sorted(tables):
            cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')
            if cursor.fetchone():
                filled.append(table)
    return filled


def restore(folder, *, force=False, skip_media=False):
    """Replaces the database (and adds the media files) with the backup in `folder`,
    then checks every count and checksum against its manifest. Returns the manifest."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if skip_media:
        manifest = {**manifest, "media": None}
    refuse_what_does_not_fit(manifest, force)
    dump = folder / DUMP_FILES[manifest["database"]]
    if manifest["database"] == "sqlite":
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        connection.ensure_connection()
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        # Drops what the dump recreates (tables `migrate` made, say), all or nothing.
        run_postgres_tool(
            "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", dump
        )
    if manifest["media"]:
        shutil.copytree(folder / MEDIA, settings.MEDIA_ROOT, dirs_exist_ok=True)
    check_restored(manifest)
    return manifest


def check_restored(manifest):
    with connection.cursor() as cursor:
        found = database_inventory(cursor, manifest["tables"])
    problems = [
        f"{table}: {rows} rows, the backup has {manifest['tables'][table]}"
        for table, rows in found["tables"].items()
        if rows != manifest["tables"][table]
    ]
    if found["bodies"] != manifest["bodies"]:
        problems.append("publication bodies differ from the backup's checksums")
    if manifest["media"]:
        restored = media_inventory(settings.MEDIA_ROOT)
        problems += [
            f"media file {name} is missing or differs"
            for name, checksum in manifest["media"].items()
            if restored.get(name) != checksum
        ]
    if problems:
        raise CommandError("The restore does not match the backup: " + "; ".join(problems[:10]))
