"""Make sure the local demo has a superuser to log in with: admin / admin.

Development only: with DEBUG off it refuses, so a well-known password can never
be planted on a production database by a stray deploy script.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "admin"


class Command(BaseCommand):
    help = "Create the development superuser admin/admin if it is missing (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=8000, help="the port `make run` serves on (PORT=)"
        )

    def handle(self, *args, **options):
        admin_url = f"http://127.0.0.1:{options['port']}/admin/"
        if not settings.DEBUG:
            raise CommandError("ensure_demo_admin only runs in development (DJANGO_DEBUG=1)")
        User = get_user_model()
        user, created = User.objects.get_or_create(
            **{User.USERNAME_FIELD: USERNAME},
            defaults={"email": "admin@example.com", "is_staff": True, "is_superuser": True},
        )
        changed = created or not (user.is_active and user.is_staff and user.is_superuser)
        user.is_active = user.is_staff = user.is_superuser = True
        # Someone who chose their own password for "admin" keeps it.
        if created or not user.has_usable_password():
            user.set_password(PASSWORD)
            changed = True
        if changed:
            user.save()
        if user.check_password(PASSWORD):
            self.stdout.write(f"Demo admin: {admin_url}  user: {USERNAME}  password: {PASSWORD}")
        else:
            self.stdout.write(
                f"Demo admin: {admin_url}  user: {USERNAME}  (its existing password was kept)"
            )
