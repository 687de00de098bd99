"""The demo content (`seed_demo`) and the development login (`ensure_demo_admin`)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from taggit.models import Tag

from authors.models import Author
from publications.demo import content as demo_content
from publications.models import Publication, PublicationType, Region, RelatedPick

from .factories import make_publication

pytestmark = pytest.mark.django_db

NOT_PUBLIC = 5  # three drafts, one in review, one scheduled


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Region, PublicationType, Author, Tag, Publication, RelatedPick)
    }


def test_seed_demo_creates_a_realistic_archive():
    output = seed()

    assert Publication.objects.count() == len(demo_content.PUBLICATIONS)
    assert 38 <= Publication.objects.count() <= 45
    assert 10 <= Author.objects.count() <= 14
    assert 6 <= Region.objects.count() <= 8
    assert PublicationType.objects.count() == 5
    assert 35 <= Tag.objects.count() <= 50
    assert RelatedPick.objects.count() >= 8
    assert f"{Publication.objects.count()} publications" in output


def test_if_empty_skips_when_any_publication_exists():
    make_publication("Already Here")

    output = seed("--if-empty")

    assert "Demo content already present; skipping." in output
    assert list(Publication.objects.values_list("title", flat=True)) == ["Already Here"]


def test_if_empty_seeds_an_empty_database():
    seed("--if-empty")

    assert Publication.objects.count() == len(demo_content.PUBLICATIONS)


def test_ensure_demo_admin_creates_the_superuser_once(settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("ensure_demo_admin", stdout=out)
    call_command("ensure_demo_admin", stdout=out)

    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert user.is_staff
    assert user.check_password("admin")
    assert "user: admin  password: admin" in out.getvalue()


def test_ensure_demo_admin_keeps_an_existing_password(settings):
    settings.DEBUG = True
    get_user_model().objects.create_user("admin", password="chosen-by-me")

    call_command("ensure_demo_admin", stdout=StringIO())

    user = get_user_model().objects.get(username="admin")
    assert user.check_password("chosen-by-me")
    assert user.is_superuser


def test_ensure_demo_admin_gives_a_password_to_an_admin_without_one(settings):
    settings.DEBUG = True
    get_user_model().objects.create_user("admin")  # no usable password

    call_command("ensure_demo_admin", stdout=StringIO())

    assert get_user_model().objects.get(username="admin").check_password("admin")


def test_ensure_demo_admin_creates_one_login_per_role_once(settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("ensure_demo_admin", stdout=out)
    call_command("ensure_demo_admin", stdout=out)

    users = get_user_model().objects.exclude(username="admin").order_by("username")
    assert [(user.username, [group.name for group in user.groups.all()]) for user in users] == [
        ("analyst", ["Analysts"]),
        ("curator", ["Curators"]),
        ("editor", ["Editors"]),
    ]
    for user in users:
        assert user.is_staff
        assert not user.is_superuser
        assert user.check_password(user.username)
    assert "Demo editor (Editors): user: editor  password: editor" in out.getvalue()
    assert user.has_perm("publications.publish_publication")  # the editor
    assert not users[0].has_perm("publications.publish_publication")  # the analyst


def test_ensure_demo_admin_refuses_outside_development(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match=r"only runs in development \(DJANGO_DEBUG=1\)"):
        call_command("ensure_demo_admin", stdout=StringIO())

    assert not get_user_model().objects.exists()
