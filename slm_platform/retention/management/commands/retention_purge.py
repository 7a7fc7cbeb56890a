import dataclasses

from django.core.management.base import BaseCommand

from slm_platform.core.models import Organization
from slm_platform.retention.purge import retention_purge


class Command(BaseCommand):
    help = ("Delete what each organization's retention policy no longer keeps (what the "
            "periodic bulk.retention_purge task does). --dry-run counts it and deletes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run: bool, **options):
        purged = retention_purge(dry_run=dry_run)
        if not purged:
            self.stdout.write("No organization has a retention policy: nothing to purge.")
        names = dict(Organization.objects.filter(pk__in=purged).values_list("pk", "slug"))
        verb = "would delete" if dry_run else "deleted"
        for organization_id, counts in purged.items():
            figures = ", ".join(f"{name}={value}" for name, value in
                                dataclasses.asdict(counts).items())
            self.stdout.write(f"{names[organization_id]}: {verb} {figures}")
