from django.conf import settings
from django.core.management.base import BaseCommand

from slm_platform.core.models import Organization
from slm_platform.registry.services import starter_models_ensure


class Command(BaseCommand):
    help = ("Queue starter-model training (training queue) for every task without a model, "
            "in every organization. Workers pick it up; a trained starter artifact is reused.")

    def add_arguments(self, parser):
        parser.add_argument("--preset", default=None, help="full (default) or tiny")

    def handle(self, *args, preset: str | None, **options):
        preset = preset or settings.STARTER_MODEL_PRESET
        for organization in Organization.objects.order_by("pk"):
            for version in starter_models_ensure(organization=organization, preset=preset):
                self.stdout.write(f"{organization.slug}: queued {version.name} ({preset})")
