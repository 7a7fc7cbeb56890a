import json
import os
import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from slm_platform.accounts.models import Role
from slm_platform.accounts.services import api_key_create, member_create, organization_create

CREDENTIALS_FILE = "demo-credentials.json"


class Command(BaseCommand):
    help = ("Create the demo organization, its admin user and an API key once; print them on "
            "every run (kept in DATA_DIR/demo-credentials.json, readable by the owner only).")

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--organization", default="Demo Company")

    def handle(self, *args, username: str, organization: str, **options):
        path = settings.DATA_DIR / CREDENTIALS_FILE
        user_exists = get_user_model().objects.filter(username=username).exists()
        if path.exists() and user_exists:
            credentials = json.loads(path.read_text())
        elif user_exists:
            self.stdout.write(f"User {username!r} exists; create a key with "
                              f"`manage.py create_api_key --user {username}`.")
            return
        else:
            credentials = self._create(username=username, organization=organization)
            path.write_text(json.dumps(credentials))
            os.chmod(path, 0o600)
        self.stdout.write(f"Organization: {credentials['organization']}")
        self.stdout.write(f"Login:        {credentials['username']} / {credentials['password']}")
        self.stdout.write(f"API key:      {credentials['api_key']}")
        self._demo_data(credentials["username"])

    def _demo_data(self, username: str) -> None:
        """Each industry app's sample rows (an AppConfig's `demo_data`, a dotted path to a
        function of the organization), so the platform never names an industry."""
        from slm_platform.accounts.selectors import membership_for_user

        user = get_user_model().objects.filter(username=username).first()
        membership = membership_for_user(user=user) if user is not None else None
        if membership is None:
            return
        organization = membership.organization
        for config in apps.get_app_configs():
            loader = getattr(config, "demo_data", None)
            if loader:
                self.stdout.write(import_string(loader)(organization=organization))

    @transaction.atomic
    def _create(self, *, username: str, organization: str) -> dict:
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        org = organization_create(name=organization)
        membership = member_create(organization=org, username=username, password=password,
                                   role=Role.ADMIN)
        issued = api_key_create(membership=membership, name="demo")
        return {"organization": org.name, "username": username, "password": password,
                "api_key": issued.key}
