"""Two saves of the same name at the same moment both succeed, with different slugs.

Each save finds the first free slug, then inserts; another save can take that slug
in between. The unique constraint refuses the second insert, and the save tries
again with the next free slug instead of answering 500.
"""

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from taggit.models import Tag

from authors.models import Author
from publications.models import Publication, PublicationType, Region
from thinktank.building_blocks import slugs

from .factories import make_type
from .test_import_wordpress import import_export, post_item


def a_region(name, **fields):
    return Region(name=name, **fields)


def a_type(name, **fields):
    return PublicationType(name=name, plural_label=f"{name}s", **fields)


def an_author(name, **fields):
    return Author(name=name, sort_name=name, **fields)


def a_publication(name, **fields):
    fields.setdefault("publication_type", PublicationType.objects.get_or_create(name="Brief")[0])
    return Publication(title=name, lead="Lead.", **fields)


MAKERS = [a_region, a_type, an_author, a_publication]


@pytest.fixture
def taken_in_between(monkeypatch):
    """Makes the `on_call`-th slug found free be taken by another row before the insert.

    The other row goes in with bulk_create, which bypasses save(), as a concurrent
    request's insert would. Returns the slugs that were found free, in order.
    """
    found = []
    first_free = slugs.first_free_slug

    def race(on_call=1):
        def racing(base, others, kept=()):
            slug = first_free(base, others, kept)
            found.append(slug)
            if len(found) == on_call:
                model = others.model
                maker = {Region: a_region, PublicationType: a_type, Author: an_author}
                row = maker.get(model, a_publication)(f"Other {base}", slug=slug)
                model.objects.bulk_create([row])
            return slug

        monkeypatch.setattr(slugs, "first_free_slug", racing)
        return found

    return race


@pytest.mark.django_db
@pytest.mark.parametrize("make", MAKERS)
@pytest.mark.parametrize("name", ["Deterrence After the Summit", "한반도", "!!!"])
def test_a_slug_taken_between_the_check_and_the_insert_is_numbered_on(taken_in_between, make, name):
    item = make(name)
    found = taken_in_between()
    item.save()
    first, second = found
    assert item.slug == f"{first}-2" == second
    model = type(item)
    assert model.objects.filter(slug__in=[first, second]).count() == 2
    # The savepoint kept the test's own transaction usable (PostgreSQL aborts it otherwise).
    assert model.objects.get(pk=item.pk).slug == second


@pytest.mark.django_db
def test_the_admin_form_survives_the_race_too(admin_client, taken_in_between):
    # The first look-up is the form's (clean()), the second the save's.
    found = taken_in_between(on_call=2)
    response = admin_client.post(
        reverse("admin:publications_region_add"),
        {"name": "Korean Peninsula", "slug": "korean-peninsula", "sort_order": "0"},
    )
    assert response.status_code == 302
    assert found == ["korean-peninsula", "korean-peninsula", "korean-peninsula-2"]
    assert Region.objects.get(name="Korean Peninsula").slug == "korean-peninsula-2"


@pytest.mark.django_db
def test_an_import_survives_the_race_too(tmp_path, taken_in_between):
    """The old site's slug is taken while the post imports: it is numbered on, and
    the rest of the import goes ahead."""
    a_type("Commentary").save()  # the post's type, so that the first slug found is its own
    taken_in_between()

    report = import_export(tmp_path, post_item(80, "Summit", slug="after-the-summit"))

    assert Publication.objects.get(title="Other after-the-summit").slug == "after-the-summit"
    assert Publication.objects.get(legacy_urls__wordpress_id=80).slug == "after-the-summit-2"
    assert "publications created: 1" in report


@pytest.mark.django_db
def test_another_constraint_is_not_taken_for_a_slug_race(monkeypatch):
    publication = a_publication("Covered", cover_image="covers/c.png", cover_image_alt="")
    calls = []
    first_free = slugs.first_free_slug
    monkeypatch.setattr(slugs, "first_free_slug", lambda *a: calls.append(1) or first_free(*a))
    with pytest.raises(IntegrityError), transaction.atomic():
        publication.save()
    assert len(calls) == 1
    assert not Publication.objects.filter(title="Covered").exists()


@pytest.mark.django_db
def test_a_slug_an_editor_chose_is_not_renumbered():
    Region.objects.create(name="Korea", slug="korea")
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(name="Korean Peninsula", slug="korea")


@pytest.mark.django_db
def test_taggit_tags_get_a_fallback_slug_in_a_transaction_too():
    with transaction.atomic():
        tags = [Tag.objects.create(name=name) for name in ("!!!", "🌍🔥")]
    assert [tag.slug for tag in tags] == ["tag", "tag-2"]


SAVERS = 8


def save_at_once(title, publication_type, count=SAVERS):
    """`count` threads, each on its own connection, create a publication with `title` at once.

    Returns (the slugs saved, the errors raised).
    """
    start = threading.Barrier(count)
    saved, failed = [], []

    def save():
        try:
            start.wait()
            publication = Publication.objects.create(
                title=title, publication_type=publication_type, lead="Lead."
            )
            saved.append(publication.slug)
        except Exception as error:  # reported by the callers' assertions
            failed.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return saved, failed


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
@postgresql_only
@pytest.mark.parametrize("title", ["Deterrence After the Summit", "한반도의 미래", "🌍🔥"])
def test_concurrent_saves_of_the_same_title_all_succeed_with_distinct_slugs(monkeypatch, title):
    """Each save waits a little after finding its slug free, so that all of them
    find the same one: every insert but one collides, and the retries sort it out."""
    publication_type = make_type()
    first_free = slugs.first_free_slug
    lookups = []

    def slow(base, others, kept=()):
        slug = first_free(base, others, kept)
        lookups.append(slug)
        time.sleep(0.05)
        return slug

    monkeypatch.setattr(slugs, "first_free_slug", slow)
    saved, failed = save_at_once(title, publication_type)

    assert failed == []
    assert len(saved) == len(set(saved)) == SAVERS
    assert Publication.objects.filter(title=title).count() == SAVERS
    # They really did collide: more look-ups than saves.
    assert len(lookups) > SAVERS


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_unhurried_concurrent_saves_all_succeed_too():
    """As the issue saw it (9 errors in 24 tries): no slowed-down look-up, 24 saves."""
    publication_type = make_type()
    for _ in range(3):
        _, failed = save_at_once("Same Title", publication_type)
        assert failed == []
    slugs_saved = Publication.objects.filter(title="Same Title").values_list("slug", flat=True)
    assert sorted(slugs_saved) == sorted(
        ["same-title", *(f"same-title-{n}" for n in range(2, 3 * SAVERS + 1))]
    )
