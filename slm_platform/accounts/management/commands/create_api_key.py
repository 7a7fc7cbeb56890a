from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from slm_platform.accounts.models import Role
from slm_platform.accounts.selectors import membership_for_user
from slm_platform.accounts.services import api_key_create
from slm_platform.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create an API key for a user and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username")
        parser.add_argument("--name", default="cli", help="a label for the key")
        parser.add_argument("--role", choices=Role.values,
                            help="what the key may do (default: the user's role; never more)")

    def handle(self, *args, user: str, name: str, role: str | None = None, **options):
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"no user named {user!r}")
        membership = membership_for_user(user=account)
        if membership is None:
            raise CommandError(f"user {user!r} is not a member of any organization")
        try:
            issued = api_key_create(membership=membership, name=name, role=role)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(issued.key)
