"""Fuzzing: schemathesis generates requests from the OpenAPI schema (/api/schema/) and sends them
to the Django app in-process with an admin's API key. Every operation gets the explicit
examples, the coverage phase's boundary and invalid values (wrong types, missing fields,
unsupported methods) and MAX_EXAMPLES Hypothesis-generated cases. Each response must be no
5xx, a status the operation documents, a documented Content-Type and headers, and a body that
matches the documented schema (errors: the `Error` component, slm_platform/api/schema.py).

The organization is seeded once for the module (one of each object the API names by id; half
the generated path parameters name one of them) inside a transaction that is rolled back at
the end; each operation runs in a savepoint of it, so it starts from the same data and nothing
it does is committed: nothing reaches the queues, and no Celery worker is needed.

The seeded state keeps every operation off the workers, so the run is fast and its answers do
not depend on whether a worker of the session is alive: no model version can serve (archived
or failed only), so predictions stop at 409 after their input is checked; the versions carry
stored test reports and cascade rows, so comparisons and threshold suggestions are computed
without a worker; the only conversation is handed off. One operation is left out:
api_v1_knowledge_bases_search_retrieve, a search of an existing knowledge base waits for a
realtime worker's answer (503 without one); its bad input is tested in tests/chat/test_api.py.

The run is reproducible (a fixed seed); FUZZ_SEED=<n> tries other cases, FUZZ_MAX_EXAMPLES=<n>
more of them. At the end the number of requests sent and each operation's statuses are
printed, and at least 1,000 are required.
"""

import json
import os
from collections import Counter
from datetime import date

import pytest
import schemathesis
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import client_for
from tests.security.conftest import away_from_window_end

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "5"))
MIN_REQUESTS = 1000
EXCLUDED = ["api_v1_knowledge_bases_search_retrieve"]  # waits for a realtime worker (above)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
STATUSES: dict[str, Counter] = {}  # operation label -> status -> responses
SEEDED: dict[str, list] = {}  # path parameter -> values that name a seeded object


def _openapi() -> dict:
    """The schema /api/schema/ serves, built without a request."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))


schema = schemathesis.openapi.from_dict(_openapi()).exclude(operation_id=EXCLUDED)
schema.app = WSGIHandler()
schema.config.seed = int(os.environ.get("FUZZ_SEED", "20261130"))


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the cases name objects that exist, so they get past "not found" into the views'
    own checks."""
    known = {name: values for name, values in SEEDED.items()
             if path_parameters and name in path_parameters and values}
    if not known:
        return st.just(path_parameters)
    existing = st.fixed_dictionaries({name: st.sampled_from(values)
                                      for name, values in known.items()})
    return st.one_of(st.just(path_parameters),
                     existing.map(lambda chosen: {**path_parameters, **chosen}))


@schema.hook
def after_call(context, case, response):
    STATUSES.setdefault(case.operation.label, Counter())[response.status_code] += 1


INTENTS_CSV = "text,label\n" + "".join(
    f"{phrase} A{number},{label}\n" for number in range(6)
    for label, phrase in (("track", "where is order"), ("cancel", "cancel order"),
                          ("refund", "a refund for order")))
REPORT = {"accuracy": 0.9, "macro_f1": 0.88, "micro_f1": 0.9,
          "per_label": {"dining": {"f1": 0.9}, "groceries": {"f1": 0.86}}}


def _versions(organization) -> list:
    """Two archived versions of one test set, with their reports on it (a comparison needs no
    worker), and one that failed in training (no artifact)."""
    from slm_platform.registry.models import ModelVersion
    from slm_platform.routing.models import CascadeEvaluation

    task = "finance.transaction-category"
    versions = [ModelVersion.objects.create(
        organization=organization, task_slug=task, version=number, status=status,
        base_model="all-MiniLM-L6-v2", artifact_path=f"models/fuzz-{number}" if trained else "",
        lineage={"test_set_key": "fuzz"} if trained else {},
        metrics={"test": REPORT} if trained else {})
        for number, status, trained in ((1, "archived", True), (2, "archived", True),
                                        (3, "failed", False))]
    for small in versions[:2]:
        for large in versions[:2]:
            CascadeEvaluation.objects.create(organization=organization, small_version=small,
                                             large_version=large,
                                             rows=[[0.9, 1, 1], [0.4, 0, 1], [0.7, 1, 0]])
    return versions


def _job(organization, version):
    from slm_platform.jobs.models import ItemStatus, Job, JobFile, JobItem, JobStatus

    job = Job.objects.create(organization=organization, task_slug=version.task_slug,
                             model_version=version, status=JobStatus.SUCCEEDED, total=1, done=1,
                             upload_dir="fuzz")
    job_file = JobFile.objects.create(job=job, name="rows.csv", kind="csv", path="rows.csv",
                                      items=1)
    JobItem.objects.create(job=job, file=job_file, seq=0, position="row 2", text="coffee",
                           status=ItemStatus.DONE, label="dining", score=0.9,
                           result={"label": "dining", "score": 0.9, "scores": {"dining": 0.9}})
    return job


def _seed(organization, membership) -> dict[str, list]:
    """One of each object the API names by id; the values of each path parameter that name
    one."""
    from slm_platform.accounts.services import api_key_create
    from slm_platform.audit.services import Actor
    from slm_platform.chat import assistant_services, starter_assistants
    from slm_platform.chat.models import Conversation, KnowledgeBase, KnowledgeDocument
    from slm_platform.core.catalog import catalog
    from slm_platform.datasets.models import DatasetVersion
    from slm_platform.training.models import TrainingRun
    from tasks_health.models import AppointmentRequest
    from tasks_retail.demo import demo_orders_load

    admin = client_for(membership)
    created = admin.post("/api/v1/tasks", {"slug": "support-intents", "kind": "classification"},
                         format="json")
    assert created.status_code == 201, created.content
    upload = admin.post("/api/v1/datasets", {
        "file": SimpleUploadedFile("intents.csv", INTENTS_CSV.encode()),
        "task": "support-intents"}, format="multipart")
    assert upload.status_code == 201, upload.content
    dataset = DatasetVersion.objects.get(pk=upload.json()["id"])
    versions = _versions(organization)
    job = _job(organization, versions[0])
    run = TrainingRun.objects.create(organization=organization, task_slug="support-intents",
                                     dataset_version=dataset, recipe="fast", status="failed")
    assistants = starter_assistants.starter_assistants_ensure(organization=organization)
    conversation = assistant_services.conversation_start(
        assistant=assistants[0], actor=Actor.for_user(membership.user))
    Conversation.objects.filter(pk=conversation.pk).update(status="handed_off")
    demo_orders_load(organization=organization)
    appointment = AppointmentRequest.objects.create(
        organization=organization, kind="request", preferred_date=date(2030, 1, 2),
        reason="check-up")
    # The key the fuzz may revoke; the one it uses is issued after this.
    other_key = api_key_create(membership=membership, name="fuzz-target")
    knowledge_bases = KnowledgeBase.objects.filter(organization=organization)
    return {
        "version_id": [version.pk for version in versions],
        "job_id": [job.pk],
        "run_id": [run.pk],
        "assistant_id": [assistant.pk for assistant in assistants],
        "conversation_id": [conversation.pk],
        "kb_id": [kb.pk for kb in knowledge_bases],
        "document_id": list(KnowledgeDocument.objects.filter(
            knowledge_base__in=knowledge_bases).values_list("pk", flat=True)),
        "key_id": [other_key.api_key.pk],
        "request_id": [appointment.pk],
        "slug": [spec.slug for spec in catalog.all()] + ["support-intents"],
    }


@pytest.fixture(scope="module")
def seeded_key(django_db_setup, django_db_blocker):
    """The seeded organization's admin key, in a transaction around the whole module that is
    rolled back at its end; each test runs in a savepoint inside it (pytest-django's `db`), as
    Django's TestCase.setUpTestData does."""
    from slm_platform.accounts.services import member_create, organization_create

    with django_db_blocker.unblock(), transaction.atomic():
        organization = organization_create(name="Fuzz Bank")
        membership = member_create(organization=organization, username="fuzz-admin",
                                   password="a-long-test-password", role="admin")
        SEEDED.update(_seed(organization, membership))
        yield client_for(membership).issued_key.key
        SEEDED.clear()
        transaction.set_rollback(True)


@pytest.fixture
def api_key(seeded_key, db, settings):
    """The key, with the rate limits off (one key sends all the requests) and the WSGI app
    keeping the test's database connection across requests, as Django's test client does."""
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.RATE_LIMITS = {}
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield seeded_key
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_operation(case, api_key):
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Bearer {api_key}"})


def test_the_fuzzing_sent_at_least_1000_requests():
    operations = sum(1 for result in schema.get_all_operations() if result.ok())
    if len(STATUSES) < operations:
        pytest.skip(f"only {len(STATUSES)} of {operations} operations were fuzzed in this run")
    sent = sum(sum(statuses.values()) for statuses in STATUSES.values())
    print(f"\nfuzzing: {sent} requests over {operations} operations "
          f"(left out: {', '.join(EXCLUDED)})")
    for label, statuses in sorted(STATUSES.items()):
        print(f"  {label}: {dict(sorted(statuses.items()))}")
    assert sent >= MIN_REQUESTS
    assert not any(status >= 500 for statuses in STATUSES.values() for status in statuses)


def test_a_rate_limited_answer_matches_the_schema(api_key, settings):
    """429 from a rate limit: the documented Error shape with Retry-After."""
    settings.RATE_LIMITS = {"predict_key": "1/min"}
    operation = schema["/api/v1/tasks/{slug}/predict"]["POST"]
    case = operation.Case(path_parameters={"slug": "finance.transaction-category"},
                          body={"inputs": ["coffee at the station"]},
                          media_type="application/json")
    headers = {"Authorization": f"Bearer {api_key}"}
    away_from_window_end()
    first, second = case.call(headers=headers), case.call(headers=headers)
    assert first.status_code == 409  # no version can serve: checked, then refused
    headers = {name.lower(): values for name, values in second.headers.items()}
    assert second.status_code == 429 and int(headers["retry-after"][0]) > 0
    case.validate_response(second, checks=CHECKS)
