"""The precomputed related lists answer exactly as the ranking's definition does, and
what readers may see is still decided when the page is read."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape

from publications import tasks
from publications.models import BYLINE_PREFETCH, Publication, RelatedCandidate, RelatedList
from publications.related import lists, related_publications
from publications.related.archive import Archive
from publications.related.ranking import ranked_afresh, ranked_precomputed

from .factories import make_author, make_pick, make_publication

pytestmark = pytest.mark.django_db


def worked_out(*publications):
    for publication in publications:
        lists.work_out(publication.pk)


def related_titles(client, publication):
    response = client.get(publication.get_absolute_url())
    return [related.title for related in response.context["related"]]


def test_an_unpublished_publication_leaves_every_related_list_on_the_next_request(client):
    subject = make_publication("Subject", tags=["trade"])
    leaving = make_publication("Leaving", tags=["trade"], days_ago=2)
    make_publication("Staying", tags=["trade"], days_ago=3)
    worked_out(subject, leaving)
    assert related_titles(client, subject) == ["Leaving", "Staying"]

    leaving.unpublish()
    leaving.save()  # no worker has run: the list still holds it

    assert RelatedCandidate.objects.filter(publication=subject, candidate=leaving).exists()
    assert related_titles(client, subject) == ["Staying"]


def test_a_deleted_publication_leaves_every_related_list_at_once(client):
    subject = make_publication("Subject", tags=["trade"])
    make_publication("Deleted", tags=["trade"], days_ago=2).delete()
    worked_out(subject)

    assert related_titles(client, subject) == []


def test_a_publication_kept_out_of_suggestions_leaves_the_lists_at_once(client):
    subject = make_publication("Subject", tags=["trade"])
    notice = make_publication("Correction", tags=["trade"], days_ago=2)
    worked_out(subject)

    notice.keep_out_of_suggestions = True
    notice.save()

    assert related_titles(client, subject) == []


def test_a_scheduled_candidate_appears_when_its_time_comes_with_no_worker(client, time_machine):
    subject = make_publication("Subject", tags=["trade"])
    make_publication("Coming", tags=["trade"], published_at=timezone.now() + timedelta(hours=2))
    worked_out(subject)
    assert related_titles(client, subject) == []

    time_machine.move_to(timezone.now() + timedelta(hours=3))

    assert related_titles(client, subject) == ["Coming"]


def test_a_worked_out_list_is_read_as_of_each_request_not_of_the_first(time_machine):
    # The statement is compiled once per process (ranking._precomputed_statement): the
    # moment it judges by must still be each read's own.
    subject = make_publication("Subject", tags=["trade"])
    make_publication("Out now", tags=["trade"], days_ago=1)
    coming = make_publication(
        "Coming", tags=["trade"], published_at=timezone.now() + timedelta(hours=2)
    )
    worked_out(subject)
    before, _, _ = ranked_precomputed(subject, 6, fill_with_newest=False)

    time_machine.move_to(timezone.now() + timedelta(hours=3))
    after, cut, _ = ranked_precomputed(subject, 6, fill_with_newest=False)

    assert coming.pk not in [pk for pk, _, _ in before]
    assert coming.pk == after[0][0]
    assert cut is not None  # read from the worked-out list, not ranked afresh


def test_the_cards_read_with_a_worked_out_list_are_those_of_every_other_list(
    client, django_assert_num_queries
):
    subject = make_publication("Subject", tags=["trade"])
    authors = [make_author('Ben "B" Okafor'), make_author("Ana Ruiz")]
    match = make_publication("Match", tags=["trade"], days_ago=3, authors=authors)
    worked_out(subject)

    _, cut, cards = ranked_precomputed(subject, 6)
    card, listed = cards[match.pk], Publication.objects.for_listing().get(pk=match.pk)

    assert cut is not None  # read from the worked-out list, not ranked afresh
    assert card.get_deferred_fields() == listed.get_deferred_fields()
    loaded = [field.attname for field in Publication._meta.concrete_fields]
    loaded = [name for name in loaded if name not in listed.get_deferred_fields()]
    assert [getattr(card, name) for name in loaded] == [getattr(listed, name) for name in loaded]
    assert card.published_at.tzinfo is not None
    assert card.publication_type.name == listed.publication_type.name
    # Read with the card on PostgreSQL (public_cards_sql()), by a query elsewhere.
    with django_assert_num_queries(0 if connection.vendor == "postgresql" else 1):
        prefetch_related_objects([card], BYLINE_PREFETCH)
    assert [vars_of(author) for author in card.byline] == [
        vars_of(author) for author in listed.byline
    ]
    page = client.get(subject.get_absolute_url()).content.decode()
    related = page[page.index('id="related-heading"') :]
    assert escape(match.publication_type.name) in related
    assert date_format(timezone.localtime(match.published_at), "j F Y") in related
    assert 0 <= related.index("Okafor") < related.index("Ana Ruiz")  # in byline order


def vars_of(instance):
    """An instance's every loaded field."""
    return {name: value for name, value in vars(instance).items() if not name.startswith("_")}


def test_a_publication_whose_tags_change_is_ranked_afresh_until_the_worker_comes(client):
    subject = make_publication("Subject", tags=["trade"])
    make_publication("Energy Match", tags=["energy"], days_ago=2)
    make_publication("Trade Match", tags=["trade"], days_ago=3)
    worked_out(subject)

    subject.tags.set(["energy"])  # its list no longer holds

    assert RelatedList.objects.get(publication=subject).stale
    assert related_titles(client, subject)[0] == "Energy Match"


def test_a_list_cut_short_falls_back_when_too_many_kept_candidates_stop_being_public(
    monkeypatch,
):
    monkeypatch.setattr(lists, "KEPT", 2)
    subject = make_publication("Subject", tags=["trade"])
    first = make_publication("First", tags=["trade"], days_ago=1)
    second = make_publication("Second", tags=["trade"], days_ago=2)
    make_publication("Third", tags=["trade"], days_ago=3)
    worked_out(subject)
    assert RelatedList.objects.get(publication=subject).floor is not None

    for publication in (first, second):
        publication.unpublish()
        publication.save()

    titles = [s.publication.title for s in related_publications(subject)]
    assert titles == ["Third"]


def test_picks_come_first_from_a_worked_out_list_too():
    subject = make_publication("Subject", tags=["trade"])
    make_publication("Match", tags=["trade"], days_ago=1)
    make_pick(subject, make_publication("Picked", days_ago=9))
    worked_out(subject)

    titles = [s.publication.title for s in related_publications(subject)]

    assert titles == ["Picked", "Match"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_puts_a_newly_published_publication_into_the_others_lists():
    """Tests run tasks on the immediate backend, once the change is committed."""
    subject = make_publication("Subject", tags=["trade"])
    assert RelatedList.objects.filter(publication=subject, stale=False).exists()
    draft = make_publication("Newly Out", tags=["trade"], status="draft", published_at=None)
    assert not RelatedCandidate.objects.filter(candidate=draft).exists()

    draft.publish()
    draft.save()

    assert RelatedCandidate.objects.filter(publication=subject, candidate=draft).exists()
    assert [s.publication.title for s in related_publications(subject)] == ["Newly Out"]


def placed_at(publication):
    return RelatedList.objects.values_list("placed_at", flat=True).get(publication=publication)


@pytest.mark.django_db(transaction=True)
def test_a_corrected_title_or_body_leaves_the_lists_and_the_worker_alone():
    """Only what decides whether and where the others' lists hold a publication (its
    status, publish date, being kept out of suggestions, and what it shares) has the
    worker place it again; an editor's correction of its text does not."""
    subject = make_publication("Subject", tags=["trade"])
    other = make_publication("Other", tags=["trade"], days_ago=3)
    placed = placed_at(other)

    other.title = "Other, corrected"
    other.body = "<p>A corrected paragraph.</p>"
    other.save()

    assert placed_at(other) == placed
    assert [s.publication.title for s in related_publications(subject)] == ["Other, corrected"]

    other.published_at = timezone.now() - timedelta(days=1)
    other.save(update_fields=["published_at"])
    assert placed_at(other) > placed

    placed = placed_at(other)
    other.keep_out_of_suggestions = True
    other.save()
    assert placed_at(other) > placed
    assert not RelatedCandidate.objects.filter(candidate=other).exists()
    assert related_publications(subject) == []


def test_a_list_that_grows_is_cut_back_to_the_best_and_keeps_ranking_as_the_definition(
    monkeypatch,
):
    monkeypatch.setattr(lists, "KEPT", 2)
    monkeypatch.setattr(lists, "LONGEST", 3)
    subject = make_publication("Subject", tags=["trade"])
    for days in (5, 6, 7):
        make_publication(f"Older {days}", tags=["trade"], days_ago=days)
    worked_out(subject)

    def arrives(title, days_ago):
        since = timezone.now().isoformat()
        publication = make_publication(title, tags=["trade"], days_ago=days_ago)
        lists.refresh([publication.pk], since)
        return publication

    newest = [arrives("New 1", 1), arrives("New 2", 2)]  # four kept: cut back to two
    assert RelatedCandidate.objects.filter(publication=subject).count() <= 3
    # Between the two cut away and "Older 5", which was cut away too: below the floor.
    arrives("Between", 5.5)
    for publication in newest:
        publication.unpublish()
        publication.save()

    for limit in (1, 2, 6):
        assert lists.ranked_ids(subject, limit) == ranked_afresh(subject, limit)
    assert [s.publication.title for s in related_publications(subject, limit=2)] == [
        "Older 5",
        "Between",
    ]


@pytest.mark.parametrize("together", [False, True], ids=["one-by-one", "together"])
def test_the_worker_works_out_missing_lists_a_batch_at_a_time(monkeypatch, together):
    """Each task works out a batch, then enqueues the next (tests run tasks at once):
    a change saved meanwhile waits for one batch, not for the whole archive. A batch
    is worked out one list at a time, or together from the archive read once."""
    monkeypatch.setattr(tasks, "MISSING_LISTS_PER_TASK", 2)
    monkeypatch.setattr(lists, "WORKED_OUT_ONE_BY_ONE", 1 if together else 3)
    batches = []
    work_out_missing = lists.work_out_missing
    monkeypatch.setattr(
        lists,
        "work_out_missing",
        lambda **kwargs: batches.append(work_out_missing(**kwargs)) or batches[-1],
    )
    for number in range(5):
        make_publication(f"Publication {number}", tags=["trade"])

    tasks.work_out_missing_related_lists.enqueue()

    assert batches == [2, 2, 1]
    assert RelatedList.objects.filter(stale=False).count() == 5


def test_lists_worked_out_together_keep_what_the_worker_did_while_the_archive_was_read(
    monkeypatch,
):
    """A list worked out meanwhile is left as it is, and a publication put into the
    lists meanwhile is put again once the lists read without it are written."""
    subject = make_publication("Subject", tags=["trade"])
    other = make_publication("Other", tags=["trade"], days_ago=3)
    worked_out(subject)
    lists.mark_stale([subject.pk])
    read = Archive.read
    meanwhile = {}

    def read_while_the_worker_works():
        archive = read()
        since = timezone.now().isoformat()
        meanwhile["newcomer"] = make_publication("Newcomer", tags=["trade"], days_ago=1)
        lists.refresh([meanwhile["newcomer"].pk, other.pk], since)
        meanwhile["other"] = RelatedList.objects.get(publication=other).computed_at
        return archive

    monkeypatch.setattr(Archive, "read", read_while_the_worker_works)

    lists.work_out_together([subject.pk, other.pk])

    assert RelatedList.objects.get(publication=other).computed_at == meanwhile["other"]
    assert related_titles_from_lists(subject) == ["Newcomer", "Other"]
    assert related_titles_from_lists(other) == ["Newcomer", "Subject"]


def related_titles_from_lists(publication):
    assert not RelatedList.objects.get(publication=publication).stale
    return [s.publication.title for s in related_publications(publication)]


def candidate_statistics():
    """What the database's planner knows of the candidates a publication has."""
    table = RelatedCandidate._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute(
                "SELECT n_distinct FROM pg_stats WHERE tablename = %s AND attname = %s",
                [table, "publication_id"],
            )
        return cursor.fetchall()


def test_once_the_missing_lists_are_worked_out_the_planner_knows_their_shape():
    """A table filled after migrate had no statistics: PostgreSQL then took each
    publication for 2,000 candidates, not 40, and read the whole archive to join them
    on every article page (7-17 ms a read at 10,000 publications, 1.6 ms with them)."""
    for number in range(5):
        make_publication(f"Publication {number}", tags=["trade"])
    assert candidate_statistics() == []

    tasks.work_out_missing_related_lists.enqueue()

    assert candidate_statistics() != []


def test_migrate_leaves_the_worker_the_missing_lists_and_nothing_when_none_are_missing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        call_command("migrate", verbosity=0)
    assert enqueued == []  # a new, empty site: nothing waits for the worker

    subject = make_publication("Subject", tags=["trade"])
    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        call_command("migrate", verbosity=0)

    assert len(enqueued) == 1
    assert RelatedList.objects.filter(publication=subject, stale=False).exists()
