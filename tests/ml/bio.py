"""A small BIO tag set shared by the entity tests."""

from slm_platform.ml.entities import bio_tags

TAGS = bio_tags(["ORG", "CITY"])
INDEX = {tag: i for i, tag in enumerate(TAGS)}
