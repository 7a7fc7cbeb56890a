"""One turn of a conversation while it is being answered: the user's message, what routing
found, and the reply it settles on (shared by assistant_services.py and action_flow.py)."""

from dataclasses import dataclass, field

from slm_platform.chat.models import Assistant, Conversation, MessageSource


@dataclass(frozen=True)
class Reply:
    text: str
    kind: str
    intent: str = ""
    confidence: float | None = None
    citations: list[dict] = field(default_factory=list)
    handoff_reason: str = ""
    source: str = MessageSource.FIXED
    validation: dict = field(default_factory=dict)
    # The conversation's new pending action (chat/actions.py); None leaves it as it is.
    pending_action: dict | None = None


@dataclass
class Turn:
    conversation: Conversation
    assistant: Assistant
    message: str  # as written: what the models see
    stored: str  # as stored (de-identified)
    intent: str = ""
    hits: list[dict] = field(default_factory=list)
    reply: Reply | None = None  # a fixed reply or handoff; None: answer from `hits`
    # A line added under a knowledge-base answer given while an action waits for the user.
    reminder: str = ""
    # How the local model read a slot no pattern found (outcome, timings), for the record.
    generated: dict = field(default_factory=dict)
