"""The starter assistant's answer threshold, chosen on its tuning questions, for organizations
whose assistant was made before it and still has the old default (0.45); a changed one stays."""

from django.db import migrations

SLUG = "retail-support"
OLD, NEW = 0.45, 0.29


def forwards(apps, schema_editor):
    Assistant = apps.get_model("chat", "Assistant")
    Assistant.objects.filter(slug=SLUG, answer_threshold=OLD).update(answer_threshold=NEW)


def backwards(apps, schema_editor):
    Assistant = apps.get_model("chat", "Assistant")
    Assistant.objects.filter(slug=SLUG, answer_threshold=NEW).update(answer_threshold=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("tasks_retail", "0001_initial"),
        ("chat", "0007_assistant_handoff_phrases"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
