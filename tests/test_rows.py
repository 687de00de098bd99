"""Instances made from a statement of our own's rows, as the ORM would have made them."""

import pytest
from django.db import connection
from django.db.models.signals import post_init

from authors.models import Author
from publications.models import Publication
from thinktank.building_blocks.rows import instance_from_db

from .factories import make_author, make_publication

pytestmark = pytest.mark.django_db

# A card's own fields, and a file field, which is set through its descriptor.
FIELDS = ["id", "title", "slug", "publication_type_id", "status", "published_at", "pdf"]


def loaded_both_ways(publication):
    values = [getattr(publication, name) for name in FIELDS[:-1]] + ["publications/paper.pdf"]
    made = instance_from_db(Publication, connection.alias, FIELDS, values)
    loaded = Publication.from_db(connection.alias, FIELDS, values)
    return made, loaded


def test_an_instance_is_what_from_db_makes():
    made, loaded = loaded_both_ways(make_publication(title="On ports", lead="Why ports matter."))

    assert made == loaded
    assert type(made) is Publication
    assert {k: v for k, v in vars(made).items() if k != "_state"} == {
        k: v for k, v in vars(loaded).items() if k != "_state"
    }
    assert (made._state.adding, made._state.db) == (False, connection.alias)
    assert made.get_deferred_fields() == loaded.get_deferred_fields()
    assert "lead" in made.get_deferred_fields()
    assert made.pdf.name == "publications/paper.pdf"
    assert made.get_absolute_url() == loaded.get_absolute_url()


def test_a_field_left_out_is_read_when_asked_for(django_assert_num_queries):
    made, _ = loaded_both_ways(make_publication(title="On ports", lead="Why ports matter."))

    with django_assert_num_queries(1):
        assert made.lead == "Why ports matter."


def test_a_model_someone_listens_to_is_made_by_its_init():
    author = make_author("Ada Lovelace")
    heard = []

    def listener(sender, instance, **kwargs):
        heard.append(instance.name)

    post_init.connect(listener, sender=Author)
    try:
        made = instance_from_db(
            Author, connection.alias, ["id", "name", "slug"], [author.pk, author.name, author.slug]
        )
    finally:
        post_init.disconnect(listener, sender=Author)

    assert heard == ["Ada Lovelace"]
    assert made == author
    assert made._state.adding is False
