"""The starter assistant's answer threshold, chosen on its tuning questions, for organizations
whose assistant was made before it and still has the old default (0.45); a changed one stays."""

from django.db import migrations

from slm_platform.chat.migration_helpers import starter_answer_threshold_replace

SLUG = "retail-support"
OLD, NEW = 0.45, 0.29


def forwards(apps, schema_editor):
    starter_answer_threshold_replace(apps, slug=SLUG, old=OLD, new=NEW)


def backwards(apps, schema_editor):
    starter_answer_threshold_replace(apps, slug=SLUG, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("tasks_retail", "0001_initial"),
        ("chat", "0007_assistant_handoff_phrases"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
