from django.core.management.base import BaseCommand

from slm_platform.chat.starter_assistants import starter_assistants_ensure
from slm_platform.core.models import Organization


class Command(BaseCommand):
    help = ("Create every registered starter assistant, with its knowledge base, in every "
            "organization that lacks it. Documents are indexed on the bulk queue.")

    def handle(self, *args, **options):
        for organization in Organization.objects.order_by("pk"):
            for assistant in starter_assistants_ensure(organization=organization):
                self.stdout.write(f"{organization.slug}: {assistant.slug}")
