"""Give every region, type, publication, author and tag a slug its route accepts.

Rows saved before slugs were Unicode-aware may have an empty slug (a tag named
"!!!") or one no address can hold (set from a script, with spaces or quotes). They
get the slug their save() would make now; a replaced slug that was not empty is
kept as an OldSlug, so any link carrying it answers 301 to the new address. Valid
slugs, ASCII or not, are left alone, so no working address changes.
"""

from django.db import migrations
from django.db.models import F

from thinktank.building_blocks.slugs import SUFFIX_ROOM, first_free_slug, slug_from
from thinktank.building_blocks.urls import is_route_slug

# (app, model, the field a slug is made from, the slug of a name with no letters)
SLUGGED = [
    ("publications", "Region", "name", "region"),
    ("publications", "PublicationType", "name", "type"),
    ("publications", "Publication", "title", "publication"),
    ("authors", "Author", "name", "author"),
    ("taggit", "Tag", "name", "tag"),
]


def fix_slugs(apps, schema_editor):
    OldSlug = apps.get_model("publications", "OldSlug")
    ContentVersion = apps.get_model("publications", "ContentVersion")
    fixed = 0
    for app_label, model_name, name_field, fallback in SLUGGED:
        model = apps.get_model(app_label, model_name)
        room = model._meta.get_field("slug").max_length - SUFFIX_ROOM
        rows = model.objects.values_list("pk", "slug", name_field).order_by("pk")
        for pk, old, name in [row for row in rows.iterator() if not is_route_slug(row[1])]:
            base = slug_from(old, max_length=room, fallback="") or slug_from(
                name, max_length=room, fallback=fallback
            )
            new = first_free_slug(base, model.objects.exclude(pk=pk))
            model.objects.filter(pk=pk).update(slug=new)
            if old:
                OldSlug.objects.update_or_create(
                    kind=model._meta.label_lower, slug=old, defaults={"object_id": pk}
                )
            fixed += 1
    if fixed:
        # update() sends no signals: retire the cached pages that link the old slugs.
        ContentVersion.objects.update(version=F("version") + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0007_unicode_slugs_and_old_slugs"),
        ("authors", "0002_unicode_slug"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(fix_slugs, migrations.RunPython.noop)]
