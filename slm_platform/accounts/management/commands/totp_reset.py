from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from slm_platform.accounts.totp import totp_reset
from slm_platform.audit.services import Actor


class Command(BaseCommand):
    help = ("Turn two-factor login off for a user who lost their authenticator and recovery "
            "codes, and clear their login lockouts. Audited.")

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username")

    def handle(self, *args, user: str, **options):
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"no user named {user!r}")
        removed = totp_reset(user=account, actor=Actor(label="system:manage.py totp_reset"))
        AxesProxyHandler.reset_attempts(username=user)
        self.stdout.write(f"two-factor login {'turned off' if removed else 'was not on'} for "
                          f"{user}; their lockouts are cleared")
