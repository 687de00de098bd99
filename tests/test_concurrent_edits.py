"""Two people editing one publication: the later save from a form opened before the other
person's save is refused, names who saved and when, saves nothing, and keeps its text."""

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from publications.models import Publication, PublicationQuerySet

from .admin_forms import form_data
from .factories import make_author, make_publication

pytestmark = pytest.mark.django_db

CONFLICT = "Your changes are NOT saved; they are still in this form"


def change_url(publication):
    return reverse("admin:publications_publication_change", args=[publication.pk])


def signed_in(username, first_name, last_name):
    user = get_user_model().objects.create_superuser(
        username, f"{username}@example.org", "pw", first_name=first_name, last_name=last_name
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ana():
    return signed_in("ana", "Ana", "Analyst")


@pytest.fixture
def bob():
    return signed_in("bob", "Bob", "Editor")


@pytest.fixture
def publication():
    return make_publication("The Original Title", authors=[make_author("Kim Sora")], status="draft")


def test_the_second_save_is_refused_with_who_and_when_and_keeps_its_text(ana, bob, publication):
    anas_form = form_data(ana.get(change_url(publication)))
    bobs_form = form_data(bob.get(change_url(publication)))
    with time_machine.travel(datetime(2026, 3, 2, 14, 2, tzinfo=UTC), tick=False):
        saved = ana.post(change_url(publication), anas_form | {"title": "Ana's Title"})
    assert saved.status_code == 302

    with time_machine.travel(datetime(2026, 3, 2, 14, 9, tzinfo=UTC), tick=False):
        refused = bob.post(change_url(publication), bobs_form | {"lead": "Bob's new introduction."})

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Ana Analyst saved this publication at 14:02, after you opened it." in page
    assert CONFLICT in page
    assert "Bob&#x27;s new introduction." in page  # still in the form
    publication.refresh_from_db()
    assert publication.title == "Ana's Title"
    assert publication.lead != "Bob's new introduction."


def test_a_byline_change_alone_makes_other_open_forms_stale(ana, bob, publication):
    bobs_form = form_data(bob.get(change_url(publication)))
    anas_form = form_data(ana.get(change_url(publication)))
    anas_form["authorships-0-DELETE"] = "on"
    assert ana.post(change_url(publication), anas_form).status_code == 302
    assert publication.authorships.count() == 0

    refused = bob.post(change_url(publication), bobs_form | {"title": "Bob's Title"})

    assert CONFLICT in refused.content.decode()
    publication.refresh_from_db()
    assert publication.title == "The Original Title"


def test_a_save_by_a_script_makes_open_forms_stale(bob, publication):
    bobs_form = form_data(bob.get(change_url(publication)))
    Publication.objects.get(pk=publication.pk).save()  # an import, a shell, a command

    refused = bob.post(change_url(publication), bobs_form | {"title": "Bob's Title"})

    assert "Someone saved this publication at" in refused.content.decode()
    publication.refresh_from_db()
    assert publication.title == "The Original Title"


def test_a_bulk_action_makes_open_forms_stale(ana, bob, publication):
    bobs_form = form_data(bob.get(change_url(publication)))
    ana.post(
        reverse("admin:publications_publication_changelist"),
        {"action": "publish_now", "_selected_action": [publication.pk]},
    )

    refused = bob.post(change_url(publication), bobs_form | {"title": "Bob's Title"})

    assert "Ana Analyst saved this publication at" in refused.content.decode()


def test_each_save_moves_the_number_on_and_a_fresh_form_saves(bob, publication):
    for title in ["First", "Second"]:
        data = form_data(bob.get(change_url(publication)))
        assert bob.post(change_url(publication), data | {"title": title}).status_code == 302

    publication.refresh_from_db()
    assert publication.title == "Second"
    assert publication.edit_version == 2


def test_a_form_without_the_edit_number_is_refused(bob, publication):
    data = form_data(bob.get(change_url(publication)))
    del data["edit_version"]

    refused = bob.post(change_url(publication), data | {"title": "Crafted"})

    assert CONFLICT in refused.content.decode()
    publication.refresh_from_db()
    assert publication.title == "The Original Title"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections at once need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_of_two_saves_at_the_same_moment_exactly_one_wins(monkeypatch):
    """Both requests have read the publication and validated their forms when they
    compare; a read-then-write check would let both through."""
    publication = make_publication("The Original Title", status="draft")
    clients = [signed_in("ana", "Ana", "Analyst"), signed_in("bob", "Bob", "Editor")]
    forms = [form_data(client.get(change_url(publication))) for client in clients]
    both_compare = threading.Barrier(2, timeout=30)
    compare = PublicationQuerySet.lock_if_unchanged

    def at_the_same_moment(self, pk, edit_version):
        both_compare.wait()
        return compare(self, pk, edit_version)

    monkeypatch.setattr(PublicationQuerySet, "lock_if_unchanged", at_the_same_moment)
    statuses = {}

    def save(index):
        try:
            response = clients[index].post(
                change_url(publication), forms[index] | {"title": f"Title {index}"}
            )
            statuses[index] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=[index]) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses.values()) == [200, 302]
    winner = next(index for index, status in statuses.items() if status == 302)
    publication.refresh_from_db()
    assert publication.title == f"Title {winner}"
    assert publication.edit_version == 1
