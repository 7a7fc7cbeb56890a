"""Actions: small tasks an assistant carries out for the user (look up an order, ask for an
appointment), declared by the industry app on its AssistantSpec. Core code knows only the shape.

A message triggers an action by its intent or by the action's pattern; the slots are filled from
that message and the next ones (each asked in turn, at most twice), checked against the action's
JSON schema, and the action runs only after the user answers a clear yes to the confirmation
question in a LATER message. An answer no pattern reads may be read by the local model through
JSON constrained to the slot's schema (`generate`); a value it writes is kept only when the
schema allows it and the user's message supports it (`SlotSpec.evidence`): never an invented
one. Text injected into a message or a document can therefore at most make
the assistant ask; it can never make it act. Every reply here is fixed, templated text.

The state between messages is the conversation's `pending_action`:
{"name", "slots": {name: value}, "awaiting": "slot:<name>" | "confirm", "attempts": n}.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import jsonschema

MAX_ATTEMPTS = 2  # unclear answers to one question before a person takes over
FREE_TEXT_CHARS = 500
CONFIRM_SUFFIX = " Shall I go ahead? (yes / no)"
CANCELLED_TEXT = "No problem, I haven't done anything."
UNCLEAR_CONFIRM_TEXT = "Sorry, I need a clear yes or no."
HANDOFF_TEXT = ("I'm having trouble getting the details I need, so I'll pass you to a member of "
                "our team. They will reply in this conversation as soon as they can.")
ALREADY_DONE_TEXT = "That has already been taken care of."
INVALID_TEXT = "Sorry, something in those details doesn't look right, so I haven't done anything."
DROPPED_TEXT = "I've left “{title}” unfinished; nothing was done."
REMINDER_TEXT = "Still open, “{title}”: {prompt}"
NOTHING_PENDING_YES = "Is there anything else I can help you with?"
NOTHING_PENDING_NO = "Alright. If there's anything else, just ask."

_YES = {"yes", "y", "yeah", "yep", "yup", "ya", "sure", "ok", "okay", "confirm", "confirmed",
        "correct", "absolutely", "definitely", "proceed", "fine", "right", "good",
        "ahead"}  # "go ahead"
_YES_FILLER = {"please", "go", "ahead", "do", "it", "that", "thats", "that's", "is", "thanks",
               "thank", "you", "sounds", "great", "perfect", "lovely", "alright", "all"}
_NO = {"no", "n", "nope", "nah", "cancel", "dont", "don't", "stop", "never", "not", "abort"}
_NO_FILLER = {"please", "thanks", "thank", "you", "mind", "now", "it", "that", "do", "go",
              "ahead", "actually", "sorry"}
_QUESTION_WORDS = {"how", "what", "when", "where", "why", "who", "which", "can", "could", "do",
                   "does", "did", "is", "are", "will", "would", "should", "may", "am", "have",
                   "has"}


@dataclass(frozen=True)
class SlotSpec:
    """One value an action needs. `extract` finds it in a message as written (None: not there)
    and returns a JSON value; `answer`, when given, is used instead for a message answering this
    slot's question. A `free_text` slot takes the stored (de-identified) message itself; one that
    is not `ask`ed is filled from the triggering message only. `evidence(message, value)` says
    whether a message supports a value the model wrote (default: the value's letters and digits
    appear in it, in order)."""

    name: str
    label: str
    question: str
    schema: dict
    extract: Callable[[str], object | None] | None = None
    answer: Callable[[str], object | None] | None = None
    describe: Callable[[object], str] = str
    required: bool = True
    free_text: bool = False
    ask: bool = True
    evidence: Callable[[str, object], bool] | None = None


# Asked for the slots no pattern found: the model's JSON object (parsed), or None.
Generate = Callable[[Sequence[SlotSpec]], object]


@dataclass(frozen=True)
class ActionResult:
    text: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ActionSpec:
    """An action: what triggers it, the slots it needs, the confirmation question (from the
    filled slots) and `execute(organization=, conversation=, slots=) -> ActionResult`, which
    writes what it does and must not fail for an ordinary "not found" (that is a reply)."""

    name: str
    title: str
    slots: tuple[SlotSpec, ...]
    confirm_text: Callable[[dict], str]
    execute: Callable[..., ActionResult]
    trigger_intents: tuple[str, ...] = ()
    trigger_pattern: re.Pattern | None = None

    def slot(self, name: str) -> SlotSpec:
        return next(slot for slot in self.slots if slot.name == name)

    def schema(self) -> dict:
        return {"type": "object",
                "properties": {slot.name: slot.schema for slot in self.slots},
                "required": [slot.name for slot in self.slots if slot.required],
                "additionalProperties": False}


@dataclass(frozen=True)
class ActionStep:
    """What the action layer answers a message with, and the state to keep."""

    text: str
    pending: dict  # the conversation's new pending_action ({} when finished)
    outcome: dict  # stored with the reply: {"action", "stage", "slots", "result"?}
    execute: bool = False  # the caller runs the action (after a confirmed yes)
    handoff_reason: str = ""


def answer_yes_no(text: str) -> str | None:
    """"yes" or "no" for a message that is plainly one of them, else None ("yes, but…" and
    "yes, cancel" are neither)."""
    words = re.findall(r"[a-z']+", text.lower().replace("’", "'"))
    if not words or len(words) > 6:
        return None
    if any(word in _YES for word in words) and all(w in _YES | _YES_FILLER for w in words):
        return "yes"
    if any(word in _NO for word in words) and all(w in _NO | _NO_FILLER for w in words):
        return "no"
    return None


def slots_validate(action: ActionSpec, slots: dict) -> list[str]:
    """The schema errors of the slots, each naming its slot; [] when they are valid."""
    validator = jsonschema.Draft202012Validator(action.schema())
    return [f"{'/'.join(str(p) for p in error.absolute_path) or 'slots'}: {error.message}"
            for error in sorted(validator.iter_errors(slots), key=lambda e: list(e.path))]


def is_question(text: str) -> bool:
    """A message that reads as a question of its own ("How long does delivery take?"), not a
    short answer ("what?", "A10231?")."""
    words = re.findall(r"[a-z']+", text.lower())
    return len(words) >= 3 and (text.rstrip().endswith("?") or words[0] in _QUESTION_WORDS)


def _value_ok(slot: SlotSpec, value: object) -> bool:
    return value not in (None, "") and jsonschema.Draft202012Validator(slot.schema).is_valid(value)


def _letters_digits(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


def value_in_message(message: str, value: object) -> bool:
    """The value's letters and digits appear in the message in order ("A10231" in "it's
    a-10231"): what a model wrote was copied, not made up."""
    wanted = _letters_digits(str(value))
    return bool(wanted) and wanted in _letters_digits(message)


def generation_schema(slots: Sequence[SlotSpec]) -> dict:
    """What the model is asked to write: each slot's value, in order."""
    return {"type": "object", "properties": {slot.name: slot.schema for slot in slots}}


def slots_from_generated(slots: Sequence[SlotSpec], message: str, generated: object) -> dict:
    """The model's values that its schema allows (each slot's value or null) and the message
    supports; {} for anything else."""
    schema = {"type": "object", "additionalProperties": False,
              "required": [slot.name for slot in slots],
              "properties": {slot.name: {"anyOf": [slot.schema, {"type": "null"}]}
                             for slot in slots}}
    if not jsonschema.Draft202012Validator(schema).is_valid(generated):
        return {}
    values = {}
    for slot in slots:
        value = generated[slot.name]
        supported = slot.evidence or value_in_message
        if value is not None and _value_ok(slot, value) and supported(message, value):
            values[slot.name] = value
    return values


def _fill(action: ActionSpec, slots: dict, message: str, stored: str, *,
          awaited: str | None, by_intent: bool = False, generate: Generate | None = None
          ) -> dict:
    """The slots with those this message gives added. A free-text slot takes the stored
    message when it answers that slot's question, or from the triggering message when the
    intent triggered the action or the slot is never asked. The awaited slot, when no
    pattern finds it, is asked of `generate`."""
    filled = dict(slots)
    trigger = awaited is None
    for slot in action.slots:
        if slot.name in filled:
            continue
        if slot.free_text:
            taken = slot.name == awaited or (trigger and (by_intent or not slot.ask))
            value = stored.strip()[:FREE_TEXT_CHARS] if taken else None
        else:
            extract = slot.answer if slot.name == awaited and slot.answer else slot.extract
            value = extract(message) if extract else None
            if not _value_ok(slot, value) and slot.name == awaited and generate is not None:
                value = slots_from_generated([slot], message, generate([slot])).get(slot.name)
        if _value_ok(slot, value):
            filled[slot.name] = value
    return filled


def _next_step(action: ActionSpec, slots: dict, *, stage: str) -> ActionStep:
    """Ask for the first missing slot, else the confirmation question."""
    for slot in action.slots:
        if slot.name not in slots and slot.ask and slot.required:
            pending = {"name": action.name, "slots": slots, "awaiting": f"slot:{slot.name}",
                       "attempts": 0}
            return ActionStep(text=slot.question, pending=pending,
                              outcome=_outcome(action, stage, slots))
    pending = {"name": action.name, "slots": slots, "awaiting": "confirm", "attempts": 0}
    return ActionStep(text=action.confirm_text(slots) + CONFIRM_SUFFIX, pending=pending,
                      outcome=_outcome(action, "confirm", slots))


def _outcome(action: ActionSpec, stage: str, slots: dict) -> dict:
    return {"action": action.name, "stage": stage, "slots": slots}


def action_triggered(actions: tuple[ActionSpec, ...], *, message: str,
                     intent: str) -> tuple[ActionSpec, bool] | None:
    """The action the message triggers, and whether its intent is the action's. An action's
    pattern (explicit words: "where is my order") is trusted over the model's intent, a guess."""
    for action in actions:
        if action.trigger_pattern is not None and action.trigger_pattern.search(message):
            return action, bool(intent) and intent in action.trigger_intents
    for action in actions:
        if intent and intent in action.trigger_intents:
            return action, True
    return None


def action_start(action: ActionSpec, *, by_intent: bool, message: str,
                 stored: str) -> ActionStep:
    """A triggered action: the slots this message gives, then a question or the confirmation.
    Never executes: a yes must come in a later message."""
    slots = _fill(action, {}, message, stored, awaited=None, by_intent=by_intent)
    return _next_step(action, slots, stage="ask")


def slots_answer(action: ActionSpec, pending: dict, *, message: str, stored: str,
                 generate: Generate | None = None) -> dict:
    """The pending action's slots with those this message gives (the awaited one asked of
    `generate` when no pattern finds it)."""
    awaited = pending.get("awaiting", "").removeprefix("slot:")
    return _fill(action, dict(pending.get("slots") or {}), message, stored, awaited=awaited,
                 generate=generate)


def action_continue(action: ActionSpec, pending: dict, *, message: str, stored: str,
                    generate: Generate | None = None, filled: dict | None = None
                    ) -> ActionStep:
    """The user's answer to a pending action's question (a slot, or the confirmation);
    `filled`: the slots_answer already read from this message."""
    slots, awaiting = dict(pending.get("slots") or {}), pending.get("awaiting", "")
    answer = answer_yes_no(message)
    if answer == "no":
        return ActionStep(text=CANCELLED_TEXT, pending={},
                          outcome=_outcome(action, "cancelled", slots))
    if awaiting == "confirm":
        if answer == "yes":
            errors = slots_validate(action, slots)
            if errors:
                return ActionStep(text=INVALID_TEXT, pending={},
                                  outcome={**_outcome(action, "invalid", slots),
                                           "errors": errors})
            return ActionStep(text="", pending={}, outcome=_outcome(action, "executed", slots),
                              execute=True)
        return _again(action, pending, slots,
                      f"{UNCLEAR_CONFIRM_TEXT} {action.confirm_text(slots)}{CONFIRM_SUFFIX}")
    awaited = awaiting.removeprefix("slot:")
    if filled is None:
        filled = slots_answer(action, pending, message=message, stored=stored,
                              generate=generate)
    if awaited not in filled:
        slot = action.slot(awaited)
        return _again(action, pending, filled,
                      f"Sorry, I couldn't find the {slot.label} in that. {slot.question}")
    return _next_step(action, filled, stage="ask")


def _again(action: ActionSpec, pending: dict, slots: dict, text: str) -> ActionStep:
    attempts = int(pending.get("attempts", 0)) + 1
    if attempts > MAX_ATTEMPTS:
        return ActionStep(text=HANDOFF_TEXT, pending={**pending, "slots": slots},
                          outcome=_outcome(action, "handoff", slots),
                          handoff_reason=f"action:{action.name}")
    return ActionStep(text=text, pending={**pending, "slots": slots, "attempts": attempts},
                      outcome=_outcome(action, "ask", slots))


def pending_prompt(action: ActionSpec, pending: dict) -> str:
    """The question the pending action waits on."""
    awaiting = pending.get("awaiting", "")
    if awaiting == "confirm":
        return action.confirm_text(pending.get("slots") or {}) + CONFIRM_SUFFIX
    return action.slot(awaiting.removeprefix("slot:")).question


def pending_reminder(action: ActionSpec, pending: dict) -> str:
    """One line under another answer: the action still waits for the user."""
    return REMINDER_TEXT.format(title=action.title, prompt=pending_prompt(action, pending))


def pending_describe(pending: dict) -> str:
    """A line for staff: "Pending: order_status for A10231 (not confirmed)"."""
    values = [str(v) for v in (pending.get("slots") or {}).values() if isinstance(v, str | int)
              and len(str(v)) <= 40]
    target = f" for {', '.join(values)}" if values else ""
    state = "not confirmed" if pending.get("awaiting") == "confirm" else "details incomplete"
    return f"Pending: {pending.get('name', 'action')}{target} ({state})."
