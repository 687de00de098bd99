"""A synthetic WordPress export, and the time and peak memory of importing it.

    .venv/bin/python bench/wordpress_export.py [--posts 10000] [--keep FILE]

Writes an export of N posts (Gutenberg and classic bodies, co-authors, regions,
types, tags) to a temporary file, then runs `manage.py import_wordpress` on it in a
child process against DATABASE_URL (migrated first) and prints the wall time and the
child's peak resident memory (ru_maxrss). Use a database of your own: it is written to.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Synthetic</title><link>https://synthetic.example</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://synthetic.example</wp:base_site_url>
"""


def category(slug, name, parent=""):
    return (
        f"<wp:category><wp:category_nicename>{slug}</wp:category_nicename>"
        f"<wp:category_parent>{parent}</wp:category_parent>"
        f"<wp:cat_name><![CDATA[{name}]]></wp:cat_name></wp:category>\n"
    )


def item(number):
    login = f"author{number % 50}"
    coauthor = f"author{(number + 7) % 50}"
    body = (
        f"<!-- wp:paragraph --><p>Paragraph one of post {number}.</p><!-- /wp:paragraph -->"
        if number % 2
        else f"Classic paragraph of post {number}.\n\nAnother one, with <b>bold</b>."
    )
    body = body + "\n\n" + "Filler text about policy. " * 80
    return f"""<item><title>Post number {number}</title>
<link>https://synthetic.example/{2000 + number % 25}/post-{number}/</link>
<dc:creator><![CDATA[{login}]]></dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{number}</wp:post_id>
<wp:post_date>2020-01-01 09:00:00</wp:post_date><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt>
<wp:post_name>post-{number}</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="type-{number % 4}"><![CDATA[Type {number % 4}]]></category>
<category domain="category" nicename="region-{number % 10}"><![CDATA[Region {number % 10}]]></category>
<category domain="post_tag" nicename="tag-{number % 30}"><![CDATA[Tag {number % 30}]]></category>
<category domain="author" nicename="cap-{login}"><![CDATA[Author {number % 50}]]></category>
<category domain="author" nicename="cap-{coauthor}"><![CDATA[Author {(number + 7) % 50}]]></category>
</item>
"""


def write_export(path, posts):
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEADER)
        for number in range(50):
            out.write(
                f"<wp:author><wp:author_login>author{number}</wp:author_login>"
                f"<wp:author_display_name>Author {number}</wp:author_display_name></wp:author>\n"
            )
        out.write(category("regions", "Regions") + category("types", "Types"))
        for number in range(10):
            out.write(category(f"region-{number}", f"Region {number}", "regions"))
        for number in range(4):
            out.write(category(f"type-{number}", f"Type {number}", "types"))
        for number in range(1, posts + 1):
            out.write(item(number))
        out.write("</channel></rss>\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="Write the export here and keep it.")
    args = parser.parse_args()
    export = args.keep or Path(tempfile.mkstemp(suffix=".xml")[1])
    write_export(export, args.posts)
    env = {"DJANGO_DEBUG": "1", **os.environ}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True, env=env)
    started = time.monotonic()
    subprocess.run(
        [*manage, "import_wordpress", str(export)], check=True, env=env, stdout=subprocess.DEVNULL
    )
    seconds = time.monotonic() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size_mib = export.stat().st_size / 1024 / 1024
    engine = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(
        f"{engine}: {args.posts} posts ({size_mib:.1f} MiB) imported in {seconds:.1f} s, "
        f"peak memory {peak_mib:.0f} MiB"
    )
    if not args.keep:
        export.unlink()


if __name__ == "__main__":
    main()
