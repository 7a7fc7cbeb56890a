"""Shared by the terminal commands: pick the organization, parse column options."""

from django.core.management.base import CommandError

from slm_platform.core.models import Organization
from slm_platform.datasets.services import ParseOptions


def organization_option(slug: str | None) -> Organization:
    if slug:
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise CommandError(f"no organization {slug!r}")
        return organization
    organizations = list(Organization.objects.order_by("pk")[:2])
    if len(organizations) != 1:
        raise CommandError("name the organization with --organization SLUG")
    return organizations[0]


def add_column_arguments(parser) -> None:
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--label-column", default="label")
    parser.add_argument("--split-column", default=None)
    parser.add_argument("--label-separator", default="|")


def parse_options(options: dict) -> ParseOptions:
    return ParseOptions(text_column=options["text_column"], label_column=options["label_column"],
                        split_column=options["split_column"],
                        label_separator=options["label_separator"])
