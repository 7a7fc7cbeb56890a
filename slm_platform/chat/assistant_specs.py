"""The registry of starter assistants: an industry app registers an `AssistantSpec` in its
AppConfig.ready(), the way it registers task specs in the core catalog. Core code asks the
registry by slug and never names an industry."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from slm_platform.chat.actions import ActionSpec


def _no_emergency(text: str) -> str | None:
    return None


def _no_rule(text: str) -> tuple[str, str] | None:
    return None


@dataclass(frozen=True)
class AssistantSpec:
    slug: str
    name: str
    industry: str
    intent_task: str  # a task slug in the core catalog
    knowledge_dir: Path  # Markdown, TXT, HTML, CSV… files, one knowledge document each
    greeting: str
    # Intents the assistant never answers itself: the conversation goes to a person.
    handoff_intents: tuple[str, ...] = ()
    # A message -> (rule name, fixed reply or "" for the plain handoff reply) when it must go
    # to a person whatever the models say (a clinic's dosage questions), else None. Checked
    # before any model runs, after the prompt-injection rule (chat/handoff_rules.py).
    handoff_rule: Callable[[str], tuple[str, str] | None] = _no_rule
    # The best passage's retrieval score under which the assistant hands the question to a
    # person: chosen per starter assistant on its tuning questions (bench/chat_eval.py).
    answer_threshold: float = 0.45
    # A message → a FIXED reply when it must not be answered from the knowledge base (red-flag
    # symptoms), else None. Checked before any model runs; never generated text.
    emergency: Callable[[str], str | None] = _no_emergency
    # Intents the model predicts that get `emergency_intent_reply` (fixed, never generated)
    # and a handoff, for emergencies no rule named.
    emergency_intents: tuple[str, ...] = ()
    emergency_intent_reply: str = ""
    # A task slug whose prediction carries `redacted` text: users' messages are stored through
    # it when the organization has an active model of it.
    deidentify_task: str = ""
    # What the assistant can do for the user (chat/actions.py), tried in this order; each runs
    # only after the user confirms it in a later message.
    actions: tuple[ActionSpec, ...] = ()

    def action(self, name: str) -> ActionSpec | None:
        return next((action for action in self.actions if action.name == name), None)


class AssistantRegistry:
    def __init__(self) -> None:
        self._specs: dict[str, AssistantSpec] = {}

    def register(self, spec: AssistantSpec) -> None:
        existing = self._specs.get(spec.slug)
        if existing is not None and existing is not spec:
            raise ValueError(f"assistant {spec.slug!r} is already registered")
        self._specs[spec.slug] = spec

    def get(self, slug: str) -> AssistantSpec | None:
        return self._specs.get(slug)

    def all(self) -> list[AssistantSpec]:
        return list(self._specs.values())


assistants = AssistantRegistry()
