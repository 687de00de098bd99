"""Backup figures: `manage.py backup` of the bench corpus, then `manage.py restore`
into an empty database and media folder, each timed as an operator runs it (the
command's start-up included). Figures, not a test: tests/test_backups.py checks the
same round trip, with nothing lost, on a small corpus.

    [DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres] \\
        .venv/bin/python bench/backup.py [--size 10000] [--files 200]

The corpus is bench/run.py's database for that size (built if missing); `--files`
PDFs and as many covers go into a temporary media folder beside it. The backup and,
on SQLite, the restored database live in a temporary folder; on PostgreSQL the
restore goes into thinktank_bench_restored, dropped at the end. restore checks every
count and checksum against the backup's manifest, so a figure is only printed for a
round trip that lost nothing.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from run import DATA, PYTHON, ROOT, engine_of, postgres_connection, prepare_database

RESTORED = "thinktank_bench_restored"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="publications in the corpus")
    parser.add_argument("--files", type=int, default=200, help="PDFs (and as many covers)")
    return parser.parse_args()


def write_media(folder, count):
    """`count` small PDFs and covers, each different, as uploads leave them on disk."""
    for number in range(count):
        pdf = folder / "pdfs" / "2026" / f"report-{number}.pdf"
        cover = folder / "covers" / "2026" / f"cover-{number}.png"
        for path in (pdf, cover):
            path.parent.mkdir(parents=True, exist_ok=True)
        pdf.write_bytes(b"%PDF-1.4\n%" + str(number).encode() + b"\n%%EOF\n")
        cover.write_bytes(os.urandom(2048))


def postgres(base_url, *statements):
    connection = postgres_connection(base_url, dbname="postgres")
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


def timed(env, *args):
    """Run manage.py `args` to the end; seconds taken and its last line of output."""
    started = time.monotonic()
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    seconds = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"bench: manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return seconds, (result.stdout.strip().splitlines() or [""])[-1]


def main():
    args = parse_args()
    base_url = os.environ.get("DATABASE_URL", "")
    engine = engine_of(base_url)
    DATA.mkdir(parents=True, exist_ok=True)
    env = prepare_database(engine, base_url, args.size)
    with tempfile.TemporaryDirectory(prefix="bench-backup-") as work:
        work = Path(work)
        env["MEDIA_ROOT"] = str(work / "media")
        write_media(work / "media", args.files)
        if engine == "postgresql":
            drop = f'DROP DATABASE IF EXISTS "{RESTORED}" WITH (FORCE)'
            postgres(base_url, drop, f'CREATE DATABASE "{RESTORED}"')
            restored_url = urllib.parse.urlsplit(base_url)._replace(path=f"/{RESTORED}").geturl()
        else:
            restored_url = f"sqlite:///{work / 'restored.sqlite3'}"
        try:
            backup_seconds, _ = timed(env, "backup", str(work / "backup"))
            restored_env = {
                **env,
                "DATABASE_URL": restored_url,
                "MEDIA_ROOT": str(work / "restored-media"),
            }
            restore_seconds, said = timed(restored_env, "restore", str(work / "backup"))
        finally:
            if engine == "postgresql":
                postgres(base_url, drop)
    print(
        f"\n{engine}, {args.size:,} publications and {2 * args.files} files: "
        f"backup {backup_seconds:.1f} s, restore {restore_seconds:.1f} s\n"
        f"restore said: {said}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
