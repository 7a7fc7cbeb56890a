"""Handoff rules: messages that go to a person whatever the models would say, checked before
any model runs. Three kinds, in this order:

- prompt injection (every assistant): text trying to change the assistant's instructions
  ("ignore your instructions and…"). It could not change them anyway — the user's message is
  never part of the system prompt and no action runs without a confirmation — but someone is
  trying to make the assistant misbehave, and staff should see it;
- the assistant spec's own rule (an industry's: a clinic's dosage or diagnosis questions);
- the organization's handoff phrases for the assistant (`Assistant.handoff_phrases`: "legal
  action", "cancel my subscription"…), matched as whole words, any case.

A rule that fires gives the reason recorded on the handoff (`rule:<name>` or `phrase:<phrase>`)
and the reply: the spec's for its rule, else the plain handoff reply."""

import re
from dataclasses import dataclass

from slm_platform.chat.assistant_specs import AssistantSpec
from slm_platform.core.errors import ValidationFailed

MAX_PHRASES = 50
# The reason recorded on the conversation ("phrase:" and the phrase) fits its 64 characters.
MAX_PHRASE_CHARS = 56

_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\s+"
    r"(?:(?:all|any|the|your|these|those|previous|prior|earlier|above|system|of|my)\s+)*"
    r"(?:instructions?|rules|prompts?|guidelines|directions|guardrails|restrictions"
    r"|programming)\b"
    r"|\b(?:ignore|disregard|forget)\s+(?:everything\s+|all\s+)?(?:above|before\s+this)\b"
    r"|\b(?:system|developer|hidden|initial)\s+(?:prompt|message|instructions?)\b"
    r"|\b(?:developer|god|admin|debug)\s+mode\b"
    r"|\bjailbreak"
    r"|\byou\s+are\s+now\s+(?:in\s+)?(?:(?:a|an|the)\s+)?(?:developer|admin|unrestricted"
    r"|jailbroken|different|new|evil|dan)\b"
    r"|\bpretend\s+(?:to\s+be|you\s+are)\b"
    r"|\b(?:reveal|print|show|repeat|output)\s+(?:me\s+)?your\s+(?:instructions|prompt)\b",
    re.I)


@dataclass(frozen=True)
class RuleHandoff:
    reason: str  # rule:<name> or phrase:<phrase>
    reply: str = ""  # "" the plain handoff reply


def prompt_injection(text: str) -> bool:
    return _INJECTION.search(text) is not None


def rule_handoff(*, text: str, spec: AssistantSpec | None,
                 phrases: list[str] | tuple[str, ...] = ()) -> RuleHandoff | None:
    """The first rule the message fires, or None."""
    if prompt_injection(text):
        return RuleHandoff(reason="rule:prompt_injection")
    fired = spec.handoff_rule(text) if spec is not None else None
    if fired is not None:
        name, reply = fired
        return RuleHandoff(reason=f"rule:{name}", reply=reply)
    phrase = phrase_found(text, phrases)
    if phrase is not None:
        return RuleHandoff(reason=f"phrase:{phrase}")
    return None


def phrase_found(text: str, phrases: list[str] | tuple[str, ...]) -> str | None:
    """The first phrase found in the text as whole words (any case, any run of spaces)."""
    words = " ".join(text.lower().split())
    for phrase in phrases:
        wanted = " ".join(phrase.lower().split())
        if wanted and re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", words):
            return phrase
    return None


def phrases_clean(value: object, *, field: str = "handoff_phrases") -> list[str]:
    """A list of at most MAX_PHRASES non-empty phrases of at most MAX_PHRASE_CHARS each,
    stripped, duplicates (any case) dropped; else a 400 naming the field and the item."""
    if not isinstance(value, list):
        raise ValidationFailed(f"{field} must be a list of phrases", details={"field": field})
    if len(value) > MAX_PHRASES:
        raise ValidationFailed(f"{field} holds at most {MAX_PHRASES} phrases",
                               details={"field": field})
    cleaned: list[str] = []
    for index, phrase in enumerate(value):
        if not isinstance(phrase, str) or not phrase.strip() \
                or len(phrase.strip()) > MAX_PHRASE_CHARS:
            raise ValidationFailed(
                f"{field}[{index}] must be a non-empty string of at most {MAX_PHRASE_CHARS} "
                f"characters", details={"field": field, "index": index})
        phrase = " ".join(phrase.split())
        if phrase.lower() not in {p.lower() for p in cleaned}:
            cleaned.append(phrase)
    return cleaned
