"""Keep the Analysts, Editors and Curators groups exactly as publications.policy says."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from publications.policy import ROLES, UnknownPermission, group_for, sync_roles


class Command(BaseCommand):
    help = (
        "Create the editorial groups (Analysts, Editors, Curators) and give each exactly "
        "its permissions: missing ones are added, extra ones removed. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--add-user", metavar="NAME", help="a user name to put in --role")
        parser.add_argument("--role", help=f"with --add-user: one of {', '.join(ROLES)}")

    def handle(self, *args, add_user=None, role=None, **options):
        if bool(add_user) != bool(role):
            raise CommandError("--add-user and --role go together.")
        with transaction.atomic():
            try:
                changes = sync_roles()
            except UnknownPermission as error:
                raise CommandError(str(error)) from None
            for change in changes:
                self.stdout.write(change)
            if not changes:
                self.stdout.write("The groups were already in step; nothing changed.")
            if add_user:
                self._add(add_user, role)

    def _add(self, username, role):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"There is no user “{username}”.") from None
        try:
            group = group_for(role)
        except LookupError as error:
            raise CommandError(str(error)) from None
        user.groups.add(group)
        if not user.is_staff:
            # Without it the admin refuses them, whatever their groups.
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        self.stdout.write(f"{username} is now in {group.name} (and may sign in to the admin).")
