"""Roles and what each may do: the one table every permission check reads.

A view names the *capability* it needs (`capability = "jobs"` on an API view,
`@capability_required("jobs")` on a dashboard view), never a role; this module says which roles
hold it. An API key carries a role too: a request made with it may do what both the key's role
and its holder's current role allow.

| capability    | what it allows                                                   | roles       |
|---------------|------------------------------------------------------------------|-------------|
| models.read   | tasks, model versions, metrics, comparisons, activation history, | A M N       |
|               | cascade policy, threshold suggestions and routing statistics     |             |
| predict       | realtime predictions: predict API, "Try it", document endpoints  | A M N       |
|               | (earnings tone, statements, de-identification)                   |             |
| jobs          | bulk jobs: upload, cancel, retry, read them, their items and      | A M N       |
|               | results; read the webhook URL                                    |             |
| chat          | talk to assistants (playground, conversations, chat completions),| A M N       |
|               | read and search knowledge bases                                  |             |
| datasets      | upload and read datasets, create custom tasks, turn reviewed      | A M         |
|               | items into a dataset version                                     |             |
| training      | start, watch and cancel training runs                             | A M         |
| activate      | registry and routing changes: activate, roll back, archive,       | A M         |
|               | compress, set or remove a cascade policy, set a review threshold |             |
| review        | the review queue: read items, confirm, correct or skip them       | A M R       |
| handoffs      | the staff inbox (read, reply, close), appointment requests, order | A R         |
|               | look-ups                                                         |             |
| audit.read    | the audit log: list, filter, export, verify its hash chain       | A U         |
| assistants    | configure assistants and knowledge bases, load shop orders        | A           |
| members       | add members, change their roles                                  | A           |
| keys          | see and revoke every API key of the organization                 | A           |
| settings      | webhook URL and signing secret, retention periods                | A           |

A = admin, M = ml_engineer, N = analyst, R = reviewer, U = auditor.

Any member, whatever the role, may open the dashboard's overview and settings pages (each shows
only what the role may see), read the retention policy, and create, list and revoke API keys of
their own, whose role is never more than their own.
"""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    ML_ENGINEER = "ml_engineer", "ML engineer"
    ANALYST = "analyst", "Analyst"
    REVIEWER = "reviewer", "Reviewer"
    AUDITOR = "auditor", "Auditor"


CAPABILITIES: dict[str, str] = {
    "models.read": "read tasks, model versions and routing statistics",
    "predict": "predict with a task's models",
    "jobs": "run bulk jobs and read their results",
    "chat": "talk to assistants and search knowledge bases",
    "datasets": "upload datasets and create tasks",
    "training": "train models",
    "activate": "change which model versions serve and how items are routed",
    "review": "review predictions",
    "handoffs": "handle conversations handed to staff",
    "audit.read": "read the audit log",
    "assistants": "configure assistants and knowledge bases",
    "members": "manage members",
    "keys": "manage the organization's API keys",
    "settings": "change the organization's settings",
}

# Views open to every role declare this instead of a capability.
ANY_MEMBER = "any member"

_USE_MODELS = frozenset({"models.read", "predict", "jobs", "chat"})

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(CAPABILITIES),
    # Review too: the queue is where its threshold is set and reviewed items become a dataset.
    Role.ML_ENGINEER: _USE_MODELS | {"datasets", "training", "activate", "review"},
    Role.ANALYST: _USE_MODELS,
    Role.REVIEWER: frozenset({"review", "handoffs"}),
    Role.AUDITOR: frozenset({"audit.read"}),
}


def capabilities_of(role: str) -> frozenset[str]:
    """What a role may do; nothing for a role this table does not know."""
    return ROLE_CAPABILITIES.get(role, frozenset())


def capability_check(capability: str) -> str:
    """The capability, if the table knows it: a misspelt name must not deny (or allow)
    silently."""
    if capability != ANY_MEMBER and capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}")
    return capability


def roles_with(capability: str) -> frozenset[str]:
    if capability_check(capability) == ANY_MEMBER:
        return frozenset(Role.values)
    return frozenset(role for role, held in ROLE_CAPABILITIES.items() if capability in held)


def role_within(role: str, held: frozenset[str]) -> bool:
    """Whether everything `role` may do is in `held` (a key is never given more than its
    creator may do)."""
    return capabilities_of(role) <= held
