"""Dashboard pages' server time with a full database: 50 model versions of a task, a job of
100,000 items (and 100,000 audit events), 5,000 chat conversations of which 2,000 are handed to
staff, each page rendered in-process through Django's test client (view, queries and template;
no network), median of several runs, with its query count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/dashboard_pages.py

The target (issue: the web dashboard) is 200 ms or less per page. The database named by
DATABASE_URL is migrated and filled (its dashboard-bench organization is replaced each run).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from stack import ROOT, write_results

LABELS = [f"label_{index:02d}" for index in range(15)]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--versions", type=int, default=50)
    parser.add_argument("--conversations", type=int, default=5_000)
    parser.add_argument("--handed-off", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path, help="write the results here, not to stdout")
    return parser.parse_args()


def _metrics(seed: int) -> dict:
    import random

    rng = random.Random(seed)
    matrix = [[rng.randint(0, 5) + (40 if row == column else 0) for column in range(15)]
              for row in range(15)]
    per_label = {label: {"precision": 0.9, "recall": 0.9, "f1": 0.9, "support": 50}
                 for label in LABELS}
    bins = [{"low": i / 10, "high": (i + 1) / 10, "count": 10 * i + 1,
             "accuracy": i / 10, "confidence": i / 10 + 0.05} for i in range(10)]
    return {"test": {"examples": 750, "accuracy": 0.9, "macro_f1": 0.89, "per_label": per_label,
                     "confusion_matrix": {"labels": LABELS, "matrix": matrix},
                     "calibration": {"calibrated": {"ece": 0.03, "bins": bins}}},
            "training": {"history": [{"epoch": e, "train_loss": 1 / e, "validation_loss": 1.2 / e}
                                     for e in range(1, 11)]}}


def fill(items: int, versions: int):
    """The organization, its admin, the versions, one finished job with `items` items and as
    many audit events."""
    from django.utils import timezone

    from slm_platform.accounts.services import member_create, organization_create
    from slm_platform.audit.models import AuditEvent
    from slm_platform.audit.services import audit_events_append
    from slm_platform.chat.models import Assistant
    from slm_platform.core.models import Organization
    from slm_platform.jobs.models import Job, JobFile, JobItem
    from slm_platform.registry.models import ModelVersion

    Assistant.objects.filter(organization__slug="dashboard-bench").delete()
    Organization.objects.filter(slug="dashboard-bench").delete()
    organization = organization_create(name="Dashboard bench", slug="dashboard-bench")
    admin = member_create(organization=organization, username=f"bench-{time.time_ns()}",
                          password="a-long-bench-password", role="admin")
    task = "finance.transaction-category"
    created = ModelVersion.objects.bulk_create([ModelVersion(
        organization=organization, task_slug=task, version=number, base_model="all-MiniLM-L6-v2",
        source="training", status="active" if number == versions else "ready",
        artifact_path=f"bench/{number}", metrics=_metrics(number), trained_at=timezone.now())
        for number in range(1, versions + 1)])
    version = created[-1]
    job = Job.objects.create(organization=organization, task_slug=task, model_version=version,
                             status="succeeded", total=items, done=items, upload_dir="bench",
                             created_by=admin.user, started_at=timezone.now(),
                             predicting_since=timezone.now(), finished_at=timezone.now())
    file = JobFile.objects.create(job=job, name="bench.csv", kind="delimited", path="bench.csv",
                                  status="read", items=items, columns=["id", "description"],
                                  text_column="description")
    for start in range(0, items, 10_000):
        JobItem.objects.bulk_create([JobItem(
            job=job, file=file, seq=seq, position=f"row {seq + 2}", text=f"CARD PAYMENT {seq}",
            fields={"id": str(seq)}, status="done", label=LABELS[seq % 15],
            score=0.5 + (seq % 50) / 100, result={"label": LABELS[seq % 15]},
            model_version=version) for seq in range(start, min(items, start + 10_000))])
        audit_events_append(organization=organization, events=[AuditEvent(
            actor_label="api_key:bench", action="predict",
            object_type="model_version", object_id=str(version.pk),
            data={"task": task, "inputs": 1}) for _ in range(start, min(items, start + 10_000))])
    return admin, job, version, task


def fill_chat(organization, conversations: int, handed_off: int):
    """An assistant with `conversations` conversations of 6 messages each (a cited answer
    among them); `handed_off` of them handed to staff, a tenth of those closed. Returns the
    assistant and the most recently handed-over conversation."""
    from django.utils import timezone

    from slm_platform.chat.models import Assistant, Conversation, Message

    assistant = Assistant.objects.create(organization=organization, slug="bench-desk",
                                         name="Bench support desk", industry="retail",
                                         greeting="Hello! How can I help?")
    now = timezone.now()
    for start in range(0, conversations, 1_000):
        numbers = range(start, min(conversations, start + 1_000))
        created = Conversation.objects.bulk_create([_conversation(assistant, number, handed_off,
                                                                  now) for number in numbers])
        Message.objects.bulk_create([message for conversation in created
                                     for message in _messages(conversation)])
    latest = Conversation.objects.filter(assistant=assistant, status="handed_off") \
        .order_by("-handed_off_at").first()
    return assistant, latest


def _conversation(assistant, number: int, handed_off: int, now):
    from datetime import timedelta

    from slm_platform.chat.models import Conversation

    if number >= handed_off:
        return Conversation(assistant=assistant)
    return Conversation(
        assistant=assistant, status="closed" if number % 10 == 0 else "handed_off",
        handoff_reason="emergency" if number % 7 == 0 else "low_confidence",
        handed_off_at=now - timedelta(minutes=number), summary_source="extractive",
        summary=f"Order A{number:05d} has not arrived and the customer wants it resent.",
        action_items=["Answer the question the knowledge base could not answer.",
                      f"References given: A{number:05d}."])


def _messages(conversation) -> list:
    from slm_platform.chat.models import Message

    citation = [{"passage_id": 1, "title": "Standard delivery", "document": "Delivery"}]
    return [Message(conversation=conversation, role="assistant", kind="greeting",
                    source="fixed", text="Hello! How can I help?"),
            Message(conversation=conversation, role="user", text="How much is delivery?"),
            Message(conversation=conversation, role="assistant", kind="answer",
                    source="generated", confidence=0.81, citations=citation,
                    text="Standard delivery costs £3.95."),
            Message(conversation=conversation, role="user", text="Where is order A10231?"),
            Message(conversation=conversation, role="assistant", kind="handoff",
                    source="fixed", text="I'll pass you to a member of our team."),
            Message(conversation=conversation, role="staff", text="Looking into it now.")]


def main() -> int:
    args = parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    admin, job, version, task = fill(args.items, args.versions)
    assistant, handed_off = fill_chat(admin.organization, args.conversations, args.handed_off)
    print(f"filled in {time.monotonic() - started:.0f} s: {args.versions} versions, "
          f"{args.items:,} job items, {args.items:,} audit events, {args.conversations:,} "
          f"conversations ({args.handed_off:,} handed off) ({connection.vendor})")
    client = Client()
    client.force_login(admin.user)
    pages = {
        "overview": "/", "tasks": "/tasks/", "task (50 versions)": f"/tasks/{task}/",
        "model version": f"/models/{version.pk}/", "jobs": "/jobs/",
        "job, first page": f"/jobs/{job.pk}/", "job, last page": f"/jobs/{job.pk}/?page=2000",
        "job, filtered": f"/jobs/{job.pk}/?label={LABELS[3]}&min_score=0.9",
        "audit log": "/audit/", "audit log, filtered": "/audit/?action=predict&actor=bench",
        "settings": "/settings/", "datasets": "/datasets/", "training runs": "/training/",
        "chat assistants": "/chat/",
        "chat playground": f"/chat/{assistant.pk}/?conversation={handed_off.pk}",
        "inbox": "/chat/inbox/", "inbox, last page": "/chat/inbox/?status=handed_off&page=72",
        "inbox, closed": "/chat/inbox/?status=closed",
        "inbox conversation": f"/chat/inbox/{handed_off.pk}/",
    }
    results = []
    for name, path in pages.items():
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                begun = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - begun) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
        median = statistics.median(timings[1:])  # the first run warms caches
        results.append({"page": name, "path": path, "median_ms": round(median, 1),
                        "queries": len(queries), "within_200_ms": median <= 200})
        print(f"  {name:<22} {median:7.1f} ms  {len(queries):3d} queries  "
              f"{'ok' if median <= 200 else 'OVER 200 ms'}", flush=True)
    write_results({"dashboard_pages": results, "items": args.items,
                   "versions": args.versions, "conversations": args.conversations,
                   "handed_off": args.handed_off, "database": connection.vendor}, args.json)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slm_platform.settings")
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
