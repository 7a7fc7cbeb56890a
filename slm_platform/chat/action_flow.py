"""The action flow of a conversation (chat/actions.py holds the pure steps): the action a
message triggers, the user's answer to the one under way, and running it once confirmed.

While an action waits for the user, a message that is not for it is not taken as its answer:
another request starts that action and drops this one with a line saying so; a question the
knowledge base answers is answered, with a line reminding the user what the action waits for
(turn.reminder); "no" or "cancel" cancels it. Only a "yes" to the confirmation this conversation
asked runs it."""

from dataclasses import replace

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from slm_platform.audit.services import Actor, audit_record
from slm_platform.chat import actions, search
from slm_platform.chat.assistant_specs import AssistantSpec
from slm_platform.chat.models import Conversation, MessageKind
from slm_platform.chat.turns import Reply, Turn
from slm_platform.core.errors import ServiceUnavailable, WorkerFailed

SLOT_MAX_NEW_TOKENS = 48
SLOT_INSTRUCTIONS = (
    "Copy the {labels} from the user's message into JSON. Write null for anything the message "
    "does not say. Today is {today:%A} {today:%Y-%m-%d}."
)


def pending_action(*, turn: Turn, spec: AssistantSpec | None) -> actions.ActionSpec | None:
    """The action the conversation is in the middle of; one its assistant no longer declares
    is dropped."""
    conversation = turn.conversation
    if not conversation.pending_action:
        return None
    action = spec.action(conversation.pending_action.get("name", "")) if spec else None
    if action is None:
        Conversation.objects.filter(pk=conversation.pk).update(pending_action={})
        conversation.pending_action = {}
    return action


def nothing_pending(*, turn: Turn, answer: str) -> None:
    """A plain yes or no with no action waiting: nothing runs, nothing is searched."""
    text = actions.NOTHING_PENDING_YES if answer == "yes" else actions.NOTHING_PENDING_NO
    turn.reply = Reply(text=text, kind=MessageKind.ACTION, validation={"stage": "nothing_pending"})


def pending_turn(
    *,
    turn: Turn,
    action: actions.ActionSpec,
    triggered: tuple[actions.ActionSpec, bool] | None,
    actor: Actor,
) -> bool:
    """The user's message while `action` waits for an answer (a plain yes or no went to
    action_step already). True when the message is for an action (turn.reply set); False for a
    question the knowledge base answers (turn.hits and turn.reminder set, the action kept)."""
    pending = turn.conversation.pending_action
    awaiting = pending.get("awaiting", "")
    if triggered is not None and (triggered[0] is not action or awaiting == "confirm"):
        _action_switch(turn=turn, dropped=action, triggered=triggered, actor=actor)
        return True
    slot = action.slot(awaiting.removeprefix("slot:")) if awaiting.startswith("slot:") else None
    reads = slot is not None and not slot.free_text
    if reads:
        filled = actions.slots_answer(action, pending, message=turn.message, stored=turn.stored)
        if slot.name in filled:
            action_step(turn=turn, action=action, filled=filled, actor=actor)
            return True
    if _question_answered(turn=turn, actor=actor):
        turn.reminder = actions.pending_reminder(action, pending)
        return False
    filled = None
    if reads:  # no pattern found it: the local model may read it
        generate = _slot_generator(turn=turn)
        filled = actions.slots_answer(
            action, pending, message=turn.message, stored=turn.stored, generate=generate
        )
    action_step(turn=turn, action=action, filled=filled, actor=actor)
    return True


def _question_answered(*, turn: Turn, actor: Actor) -> bool:
    """Whether the message is a question of its own that the knowledge base answers (no
    worker to search with: it is taken as an answer to the action's question)."""
    assistant = turn.assistant
    if assistant.knowledge_base_id is None or not actions.is_question(turn.message):
        return False
    try:
        hits = search.passages_for_reply(assistant=assistant, text=turn.message, actor=actor)
    except (ServiceUnavailable, WorkerFailed):
        return False
    if not hits or hits[0]["score"] < assistant.answer_threshold:
        return False
    turn.hits = hits
    return True


def _slot_generator(*, turn: Turn) -> actions.Generate | None:
    """The local model, on the realtime worker, writing JSON constrained to the slots'
    schema; None when the assistant's generator is not the local one (an HTTP endpoint cannot
    be constrained token by token). What it writes is recorded on the turn."""
    kind = (turn.assistant.generator or {}).get("kind") or settings.CHAT_GENERATOR
    if kind != "local":  # generators.LOCAL (not imported: the web process loads no torch)
        return None

    def generate(slots) -> object:
        from slm_platform.serving.services import realtime_call

        labels = " and ".join(slot.label for slot in slots)
        instructions = SLOT_INSTRUCTIONS.format(labels=labels, today=timezone.localdate())
        try:
            result = realtime_call(
                "chat.slots",
                [
                    turn.assistant.generator,
                    actions.generation_schema(slots),
                    instructions,
                    turn.message,
                    SLOT_MAX_NEW_TOKENS,
                ],
                what="reading the details",
                timeout=settings.CHAT_GENERATION_TIMEOUT_SECONDS,
            )
        except (ServiceUnavailable, WorkerFailed) as exc:
            result = {"outcome": "unavailable", "error": exc.code}
        # The record keeps how it went, not what was written (the accepted values are slots).
        turn.generated = {
            key: value for key, value in result.items() if key not in ("values", "text")
        }
        return result.get("values")

    return generate


def _action_switch(
    *,
    turn: Turn,
    dropped: actions.ActionSpec,
    triggered: tuple[actions.ActionSpec, bool],
    actor: Actor,
) -> None:
    """Another request while an action waits: that one starts, this one is dropped, saying
    so (the same request again starts afresh from this message)."""
    action, by_intent = triggered
    step = actions.action_start(
        action, by_intent=by_intent, message=turn.message, stored=turn.stored
    )
    if action is not dropped:
        step = replace(
            step,
            text=f"{actions.DROPPED_TEXT.format(title=dropped.title)} {step.text}",
            outcome={**step.outcome, "dropped": dropped.name},
        )
    turn.reply = _action_reply(turn=turn, action=action, step=step, actor=actor)


def action_step(
    *,
    turn: Turn,
    actor: Actor,
    action: actions.ActionSpec | None = None,
    triggered: tuple[actions.ActionSpec, bool] | None = None,
    filled: dict | None = None,
) -> None:
    """The user's answer to the pending action, or the start of a triggered one (the intent's
    emergency and handoff rules went first)."""
    if action is not None:
        step = actions.action_continue(
            action,
            turn.conversation.pending_action,
            message=turn.message,
            stored=turn.stored,
            filled=filled,
        )
    else:
        action, by_intent = triggered
        step = actions.action_start(
            action, by_intent=by_intent, message=turn.message, stored=turn.stored
        )
    turn.reply = _action_reply(turn=turn, action=action, step=step, actor=actor)


def _action_reply(
    *, turn: Turn, action: actions.ActionSpec, step: actions.ActionStep, actor: Actor
) -> Reply:
    """The fixed reply of an action step; a confirmed action runs here, audited."""
    outcome, text = step.outcome, step.text
    if turn.generated:
        outcome = {**outcome, "generated": turn.generated}
    if step.execute:
        result = _action_execute(
            conversation=turn.conversation, action=action, slots=outcome["slots"], actor=actor
        )
        outcome, text = {**outcome, "result": result.data}, result.text
    kind = MessageKind.HANDOFF if step.handoff_reason else MessageKind.ACTION
    return Reply(
        text=text,
        kind=kind,
        intent=turn.intent,
        validation=outcome,
        handoff_reason=step.handoff_reason,
        pending_action=step.pending,
    )


@transaction.atomic
def _action_execute(
    *, conversation: Conversation, action: actions.ActionSpec, slots: dict, actor: Actor
) -> actions.ActionResult:
    organization = conversation.assistant.organization
    # Claim the confirmed action: a second "yes" sent at the same time finds it gone.
    current = (
        Conversation.objects.select_for_update()
        .filter(pk=conversation.pk)
        .values_list("pending_action", flat=True)
        .first()
    )
    if current != conversation.pending_action:
        return actions.ActionResult(text=actions.ALREADY_DONE_TEXT, data={"skipped": True})
    Conversation.objects.filter(pk=conversation.pk).update(pending_action={})
    conversation.pending_action = {}
    result = action.execute(organization=organization, conversation=conversation, slots=slots)
    audit_record(
        organization=organization,
        actor=actor,
        action="conversation.action",
        object_type="conversation",
        object_id=conversation.pk,
        data={"action": action.name, "slots": sorted(slots), "result": result.data},
    )
    return result
