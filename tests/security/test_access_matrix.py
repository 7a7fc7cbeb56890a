"""Every URL pattern of the platform × every role × an id of the caller's organization and one
of another organization, through the real middleware, authentication and views: the API with
each role's API key, the dashboard with each role's session.

- A role holding the capability the pattern needs gets an answer that is neither 403 nor 404
  for its own organization's objects (409 or 400 for a body of `{}` is fine: it got through).
- A role without it gets 403 for its own organization's objects.
- Every role gets 404 for another organization's ids (never 403, never 2xx), and that
  organization's rows are the same afterwards.
- Nothing an own-organization read returns names the other organization's rows.

The expected matrix is written out here, apart from the code: ROUTES (pattern -> method ->
capability) and HOLDERS (capability -> roles, the table of slm_platform/accounts/roles.py). A
URL pattern with no entry in ROUTES or NOT_CHECKED fails the test. The rows are made once per
module, directly in the database (no worker, no training); each request's changes are rolled
back."""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.parsers import JSONParser
from rest_framework.test import APIClient

from slm_platform.accounts.roles import ROLE_CAPABILITIES, roles_with

ROLES = ("admin", "ml_engineer", "analyst", "reviewer", "auditor")
ANY = "any member"
MARKER = "zzglobex"  # in the other organization's names and texts, never in our rows

# Who holds each capability: accounts/roles.py's table, written out again.
HOLDERS = {
    "models.read": {"admin", "ml_engineer", "analyst"},
    "predict": {"admin", "ml_engineer", "analyst"},
    "jobs": {"admin", "ml_engineer", "analyst"},
    "chat": {"admin", "ml_engineer", "analyst"},
    "datasets": {"admin", "ml_engineer"},
    "training": {"admin", "ml_engineer"},
    "activate": {"admin", "ml_engineer"},
    "review": {"admin", "ml_engineer", "reviewer"},
    "handoffs": {"admin", "reviewer"},
    "audit.read": {"admin", "auditor"},
    "assistants": {"admin"},
    "members": {"admin"},
    "keys": {"admin"},
    "settings": {"admin"},
    ANY: set(ROLES),
}

R, W = "models.read", "activate"
ROUTES: dict[str, dict[str, str]] = {
    # API
    "api/v1/tasks": {"GET": R, "POST": "datasets"},
    "api/v1/tasks/<str:slug>/predict": {"POST": "predict"},
    "api/v1/models": {"GET": R},
    "api/v1/models/<int:version_id>": {"GET": R},
    "api/v1/models/<int:version_id>/activate": {"POST": W},
    "api/v1/models/<int:version_id>/compress": {"POST": W},
    "api/v1/models/<int:version_id>/archive": {"POST": W},
    "api/v1/models/<int:version_id>/compare": {"GET": R},
    "api/v1/tasks/<str:slug>/rollback": {"POST": W},
    "api/v1/tasks/<str:slug>/activations": {"GET": R},
    "api/v1/api-keys": {"GET": ANY, "POST": ANY},
    # The object is another member's key: their own keys anyone may revoke.
    "api/v1/api-keys/<int:key_id>": {"DELETE": "keys"},
    "api/v1/audit-events": {"GET": "audit.read"},
    "api/v1/members": {"GET": "members"},
    "api/v1/members/<int:membership_id>": {"PATCH": "members"},
    "api/v1/audit/export": {"GET": "audit.read"},
    "api/v1/audit/verify": {"GET": "audit.read"},
    "api/v1/datasets": {"GET": "datasets", "POST": "datasets"},
    "api/v1/datasets/<int:dataset_version_id>": {"GET": "datasets"},
    "api/v1/training-runs": {"GET": "training", "POST": "training"},
    "api/v1/training-runs/<int:run_id>": {"GET": "training"},
    "api/v1/training-runs/<int:run_id>/cancel": {"POST": "training"},
    "api/v1/jobs": {"GET": "jobs", "POST": "jobs"},
    "api/v1/jobs/<int:job_id>": {"GET": "jobs"},
    "api/v1/jobs/<int:job_id>/cancel": {"POST": "jobs"},
    "api/v1/jobs/<int:job_id>/retry": {"POST": "jobs"},
    "api/v1/jobs/<int:job_id>/items": {"GET": "jobs"},
    "api/v1/jobs/<int:job_id>/results": {"GET": "jobs"},
    "api/v1/webhook": {"GET": "jobs", "PUT": "settings"},
    "api/v1/webhook/rotate-secret": {"POST": "settings"},
    "api/v1/retention": {"GET": ANY, "PUT": "settings"},
    "api/v1/tasks/<str:slug>/cascade": {"GET": R, "PUT": W, "DELETE": W},
    "api/v1/tasks/<str:slug>/cascade/suggest": {"GET": R},
    "api/v1/tasks/<str:slug>/cascade/stats": {"GET": R},
    "api/v1/knowledge-bases": {"GET": "chat", "POST": "assistants"},
    "api/v1/knowledge-bases/<int:kb_id>": {"GET": "chat", "DELETE": "assistants"},
    "api/v1/knowledge-bases/<int:kb_id>/documents": {"GET": "chat", "POST": "assistants"},
    "api/v1/knowledge-bases/<int:kb_id>/documents/<int:document_id>": {
        "GET": "chat",
        "DELETE": "assistants",
    },
    "api/v1/knowledge-bases/<int:kb_id>/search": {"GET": "chat"},
    "api/v1/assistants": {"GET": "chat"},
    "api/v1/assistants/<int:assistant_id>": {"GET": "chat", "PATCH": "assistants"},
    "api/v1/assistants/<int:assistant_id>/conversations": {"POST": "chat"},
    "api/v1/assistants/<int:assistant_id>/conversations/<int:conversation_id>": {"GET": "chat"},
    "api/v1/assistants/<int:assistant_id>/conversations/<int:conversation_id>/messages": {
        "POST": "chat"
    },
    "api/v1/handoffs": {"GET": "handoffs"},
    "api/v1/handoffs/<int:conversation_id>": {"GET": "handoffs"},
    "api/v1/handoffs/<int:conversation_id>/reply": {"POST": "handoffs"},
    "api/v1/handoffs/<int:conversation_id>/close": {"POST": "handoffs"},
    "api/v1/finance/earnings-tone": {"POST": "predict"},
    "api/v1/finance/tone-shift": {"POST": "predict"},
    "api/v1/finance/statements": {"POST": "predict"},
    "api/v1/retail/orders": {"GET": "handoffs", "POST": "assistants"},
    "api/v1/health/deid": {"POST": "predict"},
    "api/v1/health/appointment-requests": {"GET": "handoffs"},
    "api/v1/health/appointment-requests/<int:request_id>.ics": {"GET": "handoffs"},
    "v1/chat/completions": {"POST": "chat"},
    # Dashboard (roles without models.read are sent from the overview to their own page)
    "": {"GET": ANY},
    "tasks/": {"GET": R},
    "tasks/<str:slug>/": {"GET": R},
    "tasks/<str:slug>/rollback": {"POST": W},
    "tasks/<str:slug>/cascade/suggest": {"GET": R},
    "models/<int:version_id>/": {"GET": R},
    "models/<int:version_id>/activate": {"POST": W},
    "models/<int:version_id>/compare": {"GET": R},
    "models/<int:version_id>/compress": {"POST": W},
    "try/": {"GET": "predict"},
    "try/<str:slug>/": {"GET": "predict"},
    "try/<str:slug>/predict": {"POST": "predict"},
    "jobs/": {"GET": "jobs"},
    "jobs/upload": {"POST": "jobs"},
    "jobs/<int:job_id>/": {"GET": "jobs"},
    "jobs/<int:job_id>/cancel": {"POST": "jobs"},
    "jobs/<int:job_id>/retry": {"POST": "jobs"},
    "datasets/": {"GET": "datasets", "POST": "datasets"},
    "datasets/<int:dataset_version_id>/": {"GET": "datasets"},
    "datasets/<int:dataset_version_id>/train": {"POST": "training"},
    "training/": {"GET": "training"},
    "training/<int:run_id>/": {"GET": "training"},
    "training/<int:run_id>/cancel": {"POST": "training"},
    "audit/": {"GET": "audit.read"},
    "audit/export.csv": {"GET": "audit.read"},
    "settings/": {"GET": ANY},
    "settings/members/add": {"POST": "members"},
    "settings/members/<int:membership_id>/role": {"POST": "members"},
    "settings/keys/create": {"POST": ANY},
    "settings/keys/<int:key_id>/revoke": {"POST": "keys"},
    "settings/webhook": {"POST": "settings"},
    "settings/webhook/rotate": {"POST": "settings"},
    "settings/retention": {"POST": "settings"},
    "review/": {"GET": "review"},
    "review/<str:slug>/": {"GET": "review"},
    "review/<str:slug>/threshold": {"POST": W},
    "review/<str:slug>/items/<int:item_id>": {"POST": "review"},
    "review/<str:slug>/dataset": {"POST": "datasets"},
    "chat/": {"GET": "chat"},
    "chat/inbox/": {"GET": "handoffs"},
    "chat/inbox/<int:conversation_id>/": {"GET": "handoffs"},
    "chat/inbox/<int:conversation_id>/reply": {"POST": "handoffs"},
    "chat/inbox/<int:conversation_id>/close": {"POST": "handoffs"},
    "chat/<int:assistant_id>/": {"GET": "chat"},
    "chat/<int:assistant_id>/conversations": {"POST": "chat"},
    "chat/<int:assistant_id>/conversations/<int:conversation_id>/messages": {"POST": "chat"},
}

# The only patterns left out, and why.
NOT_CHECKED = {
    "accounts/login/": "the login page: before any organization",
    "accounts/login/verify/": "the login's second step: before any organization",
    "accounts/two-factor/": "a user's own authenticator, whatever the role",
    "accounts/logout/": "ends the caller's own session",
    "api/schema/": "the public API description",
    "api/docs/": "the public API description",
    "api/redoc/": "the public API description",
}
# Django's admin site is the operator's (staff accounts), no organization's: every role is sent
# to its login (test_the_admin_site_is_for_operators_only).
OPERATOR_NAMESPACE = "admin"


def url_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(route, namespace, pattern) of every URL the platform answers."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern


def test_every_url_pattern_is_in_the_matrix():
    routes = {route for route, namespace, _ in url_patterns() if namespace != OPERATOR_NAMESPACE}
    assert routes - ROUTES.keys() - NOT_CHECKED.keys() == set(), (
        "new URL patterns: add them to ROUTES (or, with a reason, NOT_CHECKED)"
    )
    assert ROUTES.keys() - routes == set(), "ROUTES names patterns that no longer exist"
    assert NOT_CHECKED.keys() - routes == set(), "NOT_CHECKED names patterns that are gone"
    assert not ROUTES.keys() & NOT_CHECKED.keys()


def test_every_api_method_is_in_the_matrix():
    """An API view answering a method the matrix does not name fails too."""
    for route, _, pattern in url_patterns():
        view = getattr(pattern.callback, "view_class", None)
        if route not in ROUTES or view is None or not route.startswith(("api/", "v1/")):
            continue
        answered = {
            method.upper()
            for method in view.http_method_names
            if method not in ("head", "options") and hasattr(view, method)
        }
        assert answered == set(ROUTES[route]), route


def test_the_role_table_is_the_documented_one():
    assert set(ROLE_CAPABILITIES) == set(ROLES)
    for capability, holders in HOLDERS.items():
        assert roles_with(capability) == holders, capability


# The two organizations ---------------------------------------------------------------------


@dataclass
class World:
    ours: int
    theirs: int
    # URL argument -> its value for (our organization, theirs)
    ids: dict[str, tuple] = field(default_factory=dict)
    api: dict[str, APIClient] = field(default_factory=dict)
    pages: dict[str, Client] = field(default_factory=dict)
    # The other organization's rows as made: every test rolls its changes back.
    theirs_snapshot: str = ""


def _organization(name: str, tag: str) -> dict:
    """An organization with one row of everything a URL can name; `tag` goes into its names
    and texts."""
    from slm_platform.accounts.services import api_key_create, member_create, organization_create
    from slm_platform.audit.services import Actor
    from slm_platform.chat.models import (
        Assistant,
        Conversation,
        KnowledgeBase,
        KnowledgeDocument,
        Message,
    )
    from slm_platform.core.task_services import custom_task_create
    from slm_platform.datasets.models import Dataset, DatasetVersion
    from slm_platform.jobs.models import ItemStatus, Job, JobFile, JobItem, JobStatus
    from slm_platform.registry.models import ModelVersion
    from slm_platform.routing.models import CascadePolicy
    from slm_platform.training.models import TrainingRun
    from tasks_health.models import AppointmentRequest
    from tasks_retail.models import Order

    organization = organization_create(name=name)
    task = f"{tag}-intents"
    custom_task_create(
        organization=organization,
        slug=task,
        kind="classification",
        labels=["refund", "delivery"],
        actor=Actor.system(),
    )
    active = ModelVersion.objects.create(
        organization=organization,
        task_slug=task,
        version=1,
        status="active",
        base_model="all-MiniLM-L6-v2",
    )
    version = ModelVersion.objects.create(
        organization=organization,
        task_slug=task,
        version=2,
        status="ready",
        base_model="all-MiniLM-L6-v2",
    )
    CascadePolicy.objects.create(
        organization=organization,
        task_slug=task,
        escalate_below=0.5,
        large_kind="version",
        large_version=version,
    )
    dataset = Dataset.objects.create(
        organization=organization, task_slug=task, name=f"{tag} dataset"
    )
    dataset_version = DatasetVersion.objects.create(
        organization=organization,
        dataset=dataset,
        version=1,
        filename=f"{tag}.csv",
        file_format="csv",
        size_bytes=10,
        content_sha256="0" * 64,
        original_path="x",
        records_path="x",
        row_count=2,
        labels=["refund", "delivery"],
    )
    run = TrainingRun.objects.create(
        organization=organization, task_slug=task, dataset_version=dataset_version, recipe="fast"
    )
    job = Job.objects.create(
        organization=organization,
        task_slug=task,
        model_version=active,
        status=JobStatus.SUCCEEDED,
        total=1,
        done=1,
        upload_dir="x",
    )
    job_file = JobFile.objects.create(job=job, name=f"{tag}.csv", kind="csv", path="x", items=1)
    item = JobItem.objects.create(
        job=job,
        file=job_file,
        seq=0,
        position="row 2",
        text=f"{tag} wants a refund",
        status=ItemStatus.DONE,
        label="refund",
        score=0.2,
        result={"label": "refund", "score": 0.2, "scores": {"refund": 0.2, "delivery": 0.8}},
    )
    knowledge_base = KnowledgeBase.objects.create(
        organization=organization, slug=f"{tag}-kb", name=f"{tag} help"
    )
    document = KnowledgeDocument.objects.create(
        knowledge_base=knowledge_base,
        title=f"{tag} returns",
        filename=f"{tag}.md",
        kind="markdown",
        sha256="0" * 64,
        text=f"{tag} returns policy",
        status="ready",
    )
    assistant = Assistant.objects.create(
        organization=organization,
        slug=f"{tag}-desk",
        name=f"{tag} desk",
        industry="retail",
        knowledge_base=knowledge_base,
        greeting="Hello!",
    )
    conversation = Conversation.objects.create(
        assistant=assistant,
        status="handed_off",
        handoff_reason="low_confidence",
        handed_off_at=timezone.now(),
        summary=f"{tag} asked",
        action_items=[f"{tag} call"],
    )
    Message.objects.create(conversation=conversation, role="user", text=f"{tag} question")
    appointment = AppointmentRequest.objects.create(
        organization=organization, kind="book", reason=f"{tag} check-up"
    )
    Order.objects.create(
        organization=organization,
        number=f"{tag.upper()}1",
        email=f"{tag}@example.com",
        placed_at=timezone.now() - timedelta(1),
    )
    holder = member_create(
        organization=organization,
        username=f"{tag}-holder",
        password="a-long-test-password",
        role="analyst",
    )
    held_key = api_key_create(membership=holder, name=f"{tag} integration").api_key
    return {
        "organization": organization,
        "ids": {
            "slug": task,
            "version_id": version.pk,
            "dataset_version_id": dataset_version.pk,
            "run_id": run.pk,
            "job_id": job.pk,
            "item_id": item.pk,
            "kb_id": knowledge_base.pk,
            "document_id": document.pk,
            "assistant_id": assistant.pk,
            "conversation_id": conversation.pk,
            "request_id": appointment.pk,
            "key_id": held_key.pk,
            "membership_id": holder.pk,
        },
    }


def _world() -> World:
    from slm_platform.accounts.services import api_key_create, member_create

    ours = _organization("Acme Bank", "acme")
    theirs = _organization(f"{MARKER.title()} Retail", MARKER)
    member_create(
        organization=theirs["organization"],
        username=f"{MARKER}-admin",
        password="a-long-test-password",
        role="admin",
    )
    world = World(ours=ours["organization"].pk, theirs=theirs["organization"].pk)
    world.ids = {name: (value, theirs["ids"][name]) for name, value in ours["ids"].items()}
    for role in ROLES:
        membership = member_create(
            organization=ours["organization"],
            username=f"the-{role}",
            password="a-long-test-password",
            role=role,
        )
        api = APIClient()
        api.credentials(
            HTTP_AUTHORIZATION="Bearer "
            + api_key_create(membership=membership, name=f"{role} key").key
        )
        world.api[role] = api
        page = Client()
        page.force_login(membership.user)
        world.pages[role] = page
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    # A fast hasher for the module's eight users: Argon2 would take most of the set-up.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock():
        with fast:
            made = _world()
        made.theirs_snapshot = _snapshot(made.theirs)
        yield made
        call_command("flush", interactive=False, verbosity=0)


# Requests ----------------------------------------------------------------------------------

# Query strings some pages need to answer at all, filled like the route.
QUERIES = {"models/<int:version_id>/compare": "?with=<version_id>"}


def _url(route: str, ids: dict[str, tuple], which: int) -> str:
    path = route + QUERIES.get(route, "")
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda found: str(ids[found[1]][which]), path)


def _is_api(route: str) -> bool:
    return route.startswith(("api/", "v1/"))


def _send(world: World, route: str, method: str, role: str, url: str):
    if not _is_api(route):
        client = world.pages[role]
        return client.get(url) if method == "GET" else client.post(url, {})
    client = world.api[role]
    if method == "GET":
        return client.get(url)
    view = get_resolver().resolve(url).func.view_class
    takes_json = any(issubclass(parser, JSONParser) for parser in view.parser_classes)
    return getattr(client, method.lower())(url, {}, format="json" if takes_json else "multipart")


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _snapshot(organization_id: int) -> str:
    """A digest of the other organization's rows (and of every row that has no organization
    of its own: documents, items, messages...). Sessions and the framework's fixed tables
    (content types, permissions) are left out."""
    digest = hashlib.sha256()
    for model in _snapshot_models():
        rows = model._base_manager.all()
        if any(f.name == "organization" for f in model._meta.concrete_fields):
            rows = rows.filter(organization_id=organization_id)
        digest.update(model._meta.label.encode())
        digest.update(repr(list(rows.order_by("pk").values_list())).encode())
    return digest.hexdigest()


def _snapshot_models() -> list:
    fixed = {Session, ContentType, Permission}
    return [model for model in apps.get_models() if model not in fixed]


CASES = [
    pytest.param(route, role, id=f"{route or '/'} {role}") for route in ROUTES for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize("route, role", CASES)
def test_the_role_gets_what_the_matrix_says(world, route, role):
    methods = ROUTES[route]
    if "<" in route:
        for method in methods:
            response = _send(world, route, method, role, _url(route, world.ids, 1))
            assert response.status_code == 404, (
                f"{method} {route} as {role}, another organization's ids: "
                f"{response.status_code} {_body(response)[:300]!r}"
            )
        assert _snapshot(world.theirs) == world.theirs_snapshot, (
            f"{route} as {role} changed another organization's rows"
        )
    for method, capability in methods.items():
        with transaction.atomic():
            response = _send(world, route, method, role, _url(route, world.ids, 0))
            body = _body(response)
            transaction.set_rollback(True)
        said = f"{method} {route} as {role}: {response.status_code} {body[:300]!r}"
        if role in HOLDERS[capability]:
            # 503: no worker to answer in this test (none runs), which is past every check.
            assert response.status_code not in (401, 403, 404, 405), said
            assert response.status_code < 500 or response.status_code == 503, said
            assert MARKER.encode() not in body.lower(), f"{said}: names the other organization"
        else:
            assert response.status_code == 403, said


def test_the_admin_site_is_for_operators_only(world, db):
    for role in ROLES:
        response = world.pages[role].get("/admin/")
        assert response.status_code == 302 and "/login/" in response["Location"], role
