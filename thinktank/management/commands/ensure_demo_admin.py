"""Make sure the local demo has logins to try: admin / admin, and one per editorial role.

The superuser admin/admin, and analyst/analyst, editor/editor and curator/curator in
the Analysts, Editors and Curators groups (publications.policy), so that people can
see what each role may do.

Development only: with DEBUG off it refuses, so a well-known password can never
be planted on a production database by a stray deploy script.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from publications.policy import group_for, sync_roles

USERNAME = "admin"
PASSWORD = "admin"
# Each demo role's login; its password is its name, as the admin's is.
ROLE_USERS = {"analyst": "Analysts", "editor": "Editors", "curator": "Curators"}


class Command(BaseCommand):
    help = (
        "Create the development superuser admin/admin and one login per editorial role "
        "(analyst, editor, curator) if they are missing (DEBUG only)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=8000, help="the port `make run` serves on (PORT=)"
        )

    def handle(self, *args, **options):
        admin_url = f"http://127.0.0.1:{options['port']}/admin/"
        if not settings.DEBUG:
            raise CommandError("ensure_demo_admin only runs in development (DJANGO_DEBUG=1)")
        self.stdout.write(f"Demo admin: {admin_url}  {self._ensure(USERNAME, PASSWORD)}")
        sync_roles()
        for username, role in ROLE_USERS.items():
            login = self._ensure(username, username, role=role)
            self.stdout.write(f"Demo {username} ({role}): {login}")

    def _ensure(self, username, password, *, role=None):
        """Create or repair one demo login; say how to sign in with it."""
        User = get_user_model()
        superuser = role is None
        user, created = User.objects.get_or_create(
            **{User.USERNAME_FIELD: username},
            defaults={"email": f"{username}@example.com", "is_staff": True},
        )
        changed = created or not (
            user.is_active and user.is_staff and user.is_superuser == superuser
        )
        user.is_active = user.is_staff = True
        user.is_superuser = superuser
        # Someone who chose their own password for a demo login keeps it.
        if created or not user.has_usable_password():
            user.set_password(password)
            changed = True
        if changed:
            user.save()
        if role is not None:
            user.groups.add(group_for(role))
        if user.check_password(password):
            return f"user: {username}  password: {password}"
        return f"user: {username}  (its existing password was kept)"
