"""manage.py backup / restore (make backup, make restore): a corpus of 1,000
publications and its media files round-trip into a fresh database with nothing lost,
and restore refuses, saying why, what it should not do. How long a round trip of
10,000 takes is a figure, not a test: bench/backup.py.

The rows must be committed for pg_dump (another process) to see them, and restore
runs in another process against the fresh database, so these tests use
transactional_db: the tables are emptied after each.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from publications.models import Publication

from .factories import make_publication, pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT = Path(__file__).resolve().parent.parent
PUBLICATIONS = 1_000
WITH_FILES = 40


def table_contents(cursor, tables):
    """Rows in each table, and each publication's body checksum, by plain SQL."""
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    cursor.execute('SELECT id, body FROM "publications_publication" ORDER BY id')
    bodies = [(pk, hashlib.sha256(body.encode()).hexdigest()) for pk, body in cursor.fetchall()]
    return counts, bodies


def file_checksums(root):
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in Path(root).rglob("*")
        if path.is_file()
    }


def attach_files(count):
    """A PDF and a cover for `count` publications, written straight to media."""
    for number, pk in enumerate(
        Publication.objects.order_by("pk").values_list("pk", flat=True)[:count]
    ):
        pdf = default_storage.save(
            f"pdfs/2026/report-{number}.pdf",
            ContentFile(pdf_bytes(pages=number % 3 + 1) + str(number).encode()),
        )
        cover = default_storage.save(
            f"covers/2026/cover-{number}.png", ContentFile(os.urandom(2048))
        )
        Publication.objects.filter(pk=pk).update(
            pdf=pdf, cover_image=cover, cover_image_alt="A cover"
        )


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a new, empty database of the kind the tests run on; dropped after."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    database = connection.settings_dict
    name = f"{database['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = database["USER"]
    yield f"postgres://{user}@{database['HOST']}:{database['PORT']}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def connect(database_url):
    if database_url.startswith("sqlite:///"):
        return sqlite3.connect(database_url.removeprefix("sqlite:///"))
    return psycopg2.connect(database_url)


def manage(*arguments, database_url, media_root):
    """manage.py in another process, on another database and media folder."""
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "thinktank.settings",
        "DJANGO_SECRET_KEY": "backup-tests",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_a_thousand_publications_and_their_files_round_trip_with_nothing_lost(
    settings, tmp_path, fresh_database
):
    call_command("generate_corpus", "--publications", str(PUBLICATIONS), stdout=io.StringIO())
    attach_files(WITH_FILES)
    with connection.cursor() as cursor:
        # Not SQLite's own: its planner statistics are gathered again after a restore.
        tables = [
            t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_")
        ]
        counts, bodies = table_contents(cursor, tables)
    files = file_checksums(settings.MEDIA_ROOT)
    backup = tmp_path / "backup"
    restored_media = tmp_path / "restored-media"

    started = time.monotonic()
    call_command("backup", str(backup), stdout=io.StringIO())
    backup_seconds = time.monotonic() - started
    started = time.monotonic()
    restored = manage(
        "restore", str(backup), database_url=fresh_database, media_root=restored_media
    )
    restore_seconds = time.monotonic() - started

    assert restored.returncode == 0, restored.stderr
    with connect(fresh_database) as restored_connection:
        restored_counts, restored_bodies = table_contents(restored_connection.cursor(), tables)
    assert counts["publications_publication"] == PUBLICATIONS
    assert restored_counts == counts
    assert restored_bodies == bodies
    assert len(files) == 2 * WITH_FILES
    assert file_checksums(restored_media) == files
    print(
        f"\n{connection.vendor}: {sum(counts.values())} rows in {len(tables)} tables, "
        f"{len(files)} files; backup {backup_seconds:.1f} s, restore {restore_seconds:.1f} s "
        f"({restored.stdout.strip()})"
    )


def small_backup(tmp_path):
    make_publication("Deterrence After the Summit", body="<p>The summit.</p>")
    default_storage.save("pdfs/2026/report.pdf", ContentFile(pdf_bytes()))
    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=io.StringIO())
    return folder


def rewrite_manifest(folder, **changes):
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest.update(changes)
    path.write_text(json.dumps(manifest))


def test_restore_refuses_a_database_that_holds_data_unless_forced(tmp_path):
    folder = small_backup(tmp_path)
    make_publication("Written After the Backup")

    with pytest.raises(CommandError, match=r"The database is not empty .*pass --force"):
        call_command("restore", str(folder))
    assert Publication.objects.filter(title="Written After the Backup").exists()

    call_command("restore", str(folder), "--force", stdout=io.StringIO())
    assert list(Publication.objects.values_list("title", flat=True)) == [
        "Deterrence After the Summit"
    ]


def test_restore_refuses_media_files_already_there_unless_forced(tmp_path, fresh_database):
    folder = small_backup(tmp_path)
    media = tmp_path / "other-media"
    (media / "pdfs").mkdir(parents=True)
    (media / "pdfs" / "other.pdf").write_bytes(pdf_bytes())

    refused = manage("restore", str(folder), database_url=fresh_database, media_root=media)
    forced = manage(
        "restore", str(folder), "--force", database_url=fresh_database, media_root=media
    )

    assert refused.returncode != 0
    assert "MEDIA_ROOT" in refused.stderr
    assert "already holds files" in refused.stderr
    assert forced.returncode == 0, forced.stderr
    assert sorted(file_checksums(media)) == ["pdfs/2026/report.pdf", "pdfs/other.pdf"]


def test_restore_refuses_a_backup_from_a_newer_version(tmp_path):
    folder = small_backup(tmp_path)
    rewrite_manifest(folder, migrations={"publications": ["9999_from_the_future"]})

    with pytest.raises(CommandError, match=r"newer version of thinktank.*9999_from_the_future"):
        call_command("restore", str(folder), "--force")


def test_restore_refuses_a_backup_of_another_kind_of_database(tmp_path):
    folder = small_backup(tmp_path)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    rewrite_manifest(folder, database=other)

    with pytest.raises(CommandError, match=f"This backup is of a {other} database"):
        call_command("restore", str(folder), "--force")


def test_restore_refuses_a_backup_written_in_another_format(tmp_path):
    folder = small_backup(tmp_path)
    rewrite_manifest(folder, format=2)

    with pytest.raises(CommandError, match="backup format 2"):
        call_command("restore", str(folder), "--force")


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match=r"is not a backup: it has no manifest\.json"):
        call_command("restore", str(tmp_path))


def test_restore_finds_a_damaged_backup(tmp_path, fresh_database):
    folder = small_backup(tmp_path)
    (folder / "media" / "pdfs" / "2026" / "report.pdf").write_bytes(b"%PDF-1.7 damaged")

    result = manage("restore", str(folder), database_url=fresh_database, media_root=tmp_path / "m")

    assert result.returncode != 0
    assert "media file pdfs/2026/report.pdf is missing or differs" in result.stderr


def test_backup_never_writes_over_an_existing_folder(tmp_path):
    (tmp_path / "backup").mkdir()

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(tmp_path / "backup"))


def test_with_media_in_a_bucket_the_backup_says_it_leaves_them_to_the_bucket(settings, tmp_path):
    settings.MEDIA_STORAGE = "s3"
    make_publication()
    output = io.StringIO()

    call_command("backup", str(tmp_path / "backup"), stdout=output)

    assert "were not copied: protect them with the bucket's versioning" in output.getvalue()
    assert not (tmp_path / "backup" / "media").exists()
    assert json.loads((tmp_path / "backup" / "manifest.json").read_text())["media"] is None


def test_make_restore_needs_the_backup_folder():
    result = subprocess.run(["make", "-s", "restore"], cwd=PROJECT, capture_output=True, text=True)

    assert result.returncode != 0
    assert "make restore BACKUP_DIR=" in result.stdout + result.stderr
