from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from slm_platform.accounts.selectors import membership_for_user
from slm_platform.accounts.services import api_key_create


class Command(BaseCommand):
    help = "Create an API key for a user and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username")
        parser.add_argument("--name", default="cli", help="a label for the key")

    def handle(self, *args, user: str, name: str, **options):
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"no user named {user!r}")
        membership = membership_for_user(user=account)
        if membership is None:
            raise CommandError(f"user {user!r} is not a member of any organization")
        issued = api_key_create(membership=membership, name=name)
        self.stdout.write(issued.key)
