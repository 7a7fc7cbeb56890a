"""Helpers for data migrations that touch chat rows. They take the migration's `apps` and get
the historical models from it, so a migration stays right as the models change."""


def starter_answer_threshold_replace(apps, *, slug: str, old: float, new: float) -> int:
    """Give the starter assistants with this slug the answer threshold `new` where they still
    have `old`; an organization that changed its threshold keeps it. Returns how many changed."""
    Assistant = apps.get_model("chat", "Assistant")
    return Assistant.objects.filter(slug=slug, answer_threshold=old).update(answer_threshold=new)
