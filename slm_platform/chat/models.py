"""Knowledge bases of the support-chat assistants: documents cut into embedded passages."""

from django.conf import settings
from django.db import models

from slm_platform.core.models import OrganizationOwned


class KnowledgeBase(OrganizationOwned):
    """A set of documents an assistant answers from. `version` goes up on every change of what
    search can find (a document added, replaced, deleted, or done indexing): workers key their
    in-memory index by it."""

    slug = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"],
                                    name="chat_knowledge_base_slug_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class DocumentStatus(models.TextChoices):
    INDEXING = "indexing", "Indexing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class DocumentKind(models.TextChoices):
    MARKDOWN = "markdown", "Markdown"
    TEXT = "text", "Text"
    HTML = "html", "HTML"
    CSV = "csv", "Question/answer CSV"
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word"


class KnowledgeDocument(models.Model):
    """One uploaded document. Its filename is its identity in the knowledge base (new content
    under the same name replaces it); `sha256` of its content makes a repeated upload a no-op."""

    knowledge_base = models.ForeignKey(KnowledgeBase, on_delete=models.CASCADE,
                                       related_name="documents")
    title = models.CharField(max_length=300)
    filename = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField(default=0)
    # The text the passages' spans point into (for HTML, PDF and Word: the text read from it).
    text = models.TextField()
    status = models.CharField(max_length=16, choices=DocumentStatus.choices,
                              default=DocumentStatus.INDEXING)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    indexed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["knowledge_base", "filename"],
                                    name="chat_document_filename_per_kb"),
        ]
        indexes = [models.Index(fields=["knowledge_base", "sha256"])]

    def __str__(self) -> str:
        return self.title


class Passage(models.Model):
    """A piece of a document that search returns. `embedding` holds the float32 bytes of its
    L2-normalised MiniLM vector (384 floats), empty until the document is indexed; bytes work
    on SQLite and PostgreSQL alike."""

    document = models.ForeignKey(KnowledgeDocument, on_delete=models.CASCADE,
                                 related_name="passages")
    knowledge_base = models.ForeignKey(KnowledgeBase, on_delete=models.CASCADE,
                                       related_name="passages")
    ordinal = models.PositiveIntegerField()
    title = models.CharField(max_length=500, blank=True, help_text="Heading path or question")
    text = models.TextField()
    char_start = models.PositiveIntegerField()
    char_end = models.PositiveIntegerField()
    embedding = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["document_id", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["document", "ordinal"],
                                    name="chat_passage_ordinal_per_document"),
        ]


class Assistant(OrganizationOwned):
    """A support-chat assistant: it answers from its knowledge base and hands a conversation to
    a person on a handoff intent, an emergency, or when no passage is close enough."""

    slug = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    industry = models.CharField(max_length=64, blank=True)
    intent_task = models.CharField(max_length=100, blank=True, help_text="A task slug")
    # Deleting the knowledge base leaves the assistant, which then hands every question off.
    knowledge_base = models.ForeignKey(KnowledgeBase, on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="assistants")
    greeting = models.TextField(blank=True)
    handoff_intents = models.JSONField(default=list, blank=True)
    # Phrases that send a message to a person, matched as whole words in any case
    # (chat/handoff_rules.py): "legal action", "data protection request"…
    handoff_phrases = models.JSONField(default=list, blank=True)
    # Intents that get the spec's fixed emergency reply (and a handoff) even when no red-flag
    # rule fired: the model's own call of an emergency is never answered from the knowledge base.
    emergency_intents = models.JSONField(default=list, blank=True)
    # A task whose served prediction carries `redacted` text: users' messages are stored
    # through it (mask mode), never raw. Blank: stored as written.
    deidentify_task = models.CharField(max_length=100, blank=True)
    answer_threshold = models.FloatField(default=0.45)
    # {} the platform's generator (CHAT_GENERATOR), {"kind": "none"} extractive answers only,
    # {"kind": "openai", "url", "model"} an endpoint on an allowed host (chat/generators.py).
    generator = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"],
                                    name="chat_assistant_slug_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class ConversationStatus(models.TextChoices):
    OPEN = "open", "Open"
    HANDED_OFF = "handed_off", "Handed off"
    CLOSED = "closed", "Closed"


class Conversation(models.Model):
    """A conversation with an assistant. Handed to staff, the user may still write in it (the
    assistant only acknowledges); closed by staff, it takes no more messages."""

    assistant = models.ForeignKey(Assistant, on_delete=models.CASCADE,
                                  related_name="conversations")
    # Who started it: an OpenAI-compatible caller continues only its own conversations.
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    started_by_key = models.ForeignKey("accounts.ApiKey", on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="+")
    # A keyed hash of the (role, content) turns an OpenAI-compatible client holds after the
    # last reply (chat/transcripts.py); its next call, carrying them as history, continues here.
    transcript_key = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=ConversationStatus.choices,
                              default=ConversationStatus.OPEN)
    handoff_reason = models.CharField(max_length=64, blank=True)
    handed_off_at = models.DateTimeField(null=True, blank=True)
    # For the staff who take the conversation over: a one-sentence summary (generated and
    # validated against the user's messages, else their last message) and what to do.
    summary = models.TextField(blank=True)
    summary_source = models.CharField(max_length=16, blank=True)  # generated | extractive
    action_items = models.JSONField(default=list, blank=True)
    # An action under way (chat/actions.py): {} or {"name", "slots", "awaiting", "attempts"}.
    pending_action = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "-handed_off_at"],
                                name="chat_conversation_inbox"),
                   models.Index(fields=["assistant", "transcript_key"],
                                name="chat_conversation_transcript")]


class MessageRole(models.TextChoices):
    USER = "user", "User"
    ASSISTANT = "assistant", "Assistant"
    STAFF = "staff", "Staff"


class MessageKind(models.TextChoices):
    ANSWER = "answer", "Answer"
    HANDOFF = "handoff", "Handoff"
    EMERGENCY = "emergency", "Emergency"
    GREETING = "greeting", "Greeting"
    ACTION = "action", "Action (a question, confirmation or result of an action)"
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement (kept for the staff who took over)"


class MessageSource(models.TextChoices):
    GENERATED = "generated", "Generated, validated against the passages"
    EXTRACTIVE = "extractive", "A knowledge-base passage as written"
    FIXED = "fixed", "A fixed reply (greeting, handoff, emergency guidance)"


class Message(models.Model):
    """One turn. A user's text is stored de-identified where the organization can do that;
    `citations` ([{passage_id, title, document}]) name the passages an answer came from."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="messages")
    role = models.CharField(max_length=16, choices=MessageRole.choices)
    text = models.TextField()
    citations = models.JSONField(default=list, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    intent = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=16, choices=MessageKind.choices, blank=True)
    source = models.CharField(max_length=16, choices=MessageSource.choices, blank=True)
    # How a generated answer fared: outcome, generator, unsupported facts of a rejected
    # sentence, tokens and timings (answering.Generated). Empty for other messages.
    validation = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
