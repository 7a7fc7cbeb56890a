"""A generated answer, validated sentence by sentence as it is written (realtime worker). A
sentence is shown only when every number, price, date, time, phone number, URL and name in it
appears in the retrieved passages (a name or identifier may also come from the user's message),
it does not negate the passage sentence it is built from (or assert what that one negates),
and it neither repeats an earlier one nor talks about the prompt; the first sentence that fails
ends the answer. No accepted sentence: the caller answers with the best passage itself."""

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

from slm_platform.chat import grounding
from slm_platform.chat.generators import Generator, GeneratorUnavailable
from slm_platform.chat.sentences import complete_sentences, repetition_cut, sentences
from slm_platform.ml.causal_lm import DecodeStats

logger = logging.getLogger(__name__)

# The prompt is the time to the first token: a passage is cut to this many characters.
PASSAGE_CHARS = 700
INSTRUCTIONS = (
    "You are {name}, a customer support assistant. Answer the user's question in one or two "
    "short sentences, using only facts from the passages below. Copy prices, times, dates, "
    "phone numbers and links exactly as the passages write them. Never give a diagnosis, "
    "medical advice or a dose.")
# Talk about the prompt itself ("the passages say…", "my instructions…") is never an answer:
# a sentence with it is rejected like an ungrounded one.
_META = re.compile(r"\b(passages?|instructions?|system prompt|the user('s)?|as an ai)\b"
                   r"|\[\d+\]|\S >\s\S"  # also the prompt's "[2]" and "Delivery > Prices"
                   r"|(?:^|\s)[QA]:\s", re.I)  # and an FAQ passage's "Q:" / "A:" copied out


# A sentence may bring one content word, or at most this share of them, that neither the
# passages nor the question use ("can", "help", "sorry" and number words are never counted).
MAX_NEW_WORD_SHARE = 0.25
# A sentence with no fact must share this many content words with the passages: "I'm sorry
# for any confusion." or "Yes, you can." says nothing the passages stand behind.
MIN_SOURCE_WORDS = 2
_WORD = re.compile(r"[a-z][a-z'-]{3,}")
# A sentence says the opposite of the passage sentence it is built from when one of the two
# is negated and the other is not: "No, you cannot cancel an order." from "You can cancel an
# order within 1 hour"; "We are open on Saturdays and bank holidays." from "We are closed on
# Sundays and bank holidays." The passage sentences sharing the most content words with it
# (at least MIN_SOURCE_WORDS) are the ones it is built from; one that agrees is enough.
_LINE_WRAP = re.compile(r"\n(?![-*•]|\s*\d+[.)]\s)")
_NEGATION = re.compile(r"\b(?:no|not|never|none|nothing|cannot|closed|unable)\b|n't\b", re.I)
_STUTTER = re.compile(r"\b([a-z]{3,})\s+\1\b", re.I)
_COMMON_WORDS = """
about above after again also always another anything around available back because been
before being below better both cannot come could does doing done down during each either else
even every from further get gets getting give given going good have having here help just
keep know like look made make many more most much must need needs never next note only other
ours over please same should since some soon still such sure take than thank thanks that their
them then there these they thing this those through today under until very want wants well
were what when where whether which while will with within without would your yours you'll
we'll we're you're can't don't won't it's that's there's here's able sorry apologies glad
happy welcome hello thank also three four five seven eight nine eleven twelve fifteen twenty
thirty forty fifty sixty hundred first second third fourth fifth
"""
_COMMON = frozenset(_COMMON_WORDS.split())


@dataclass
class Generated:
    """What the generator wrote and what survived validation (`text`)."""

    text: str = ""
    # complete | truncated | ungrounded | off_topic | no_content | meta | contradiction |
    # repetition | unavailable | failed
    outcome: str = ""
    generator: str = ""
    sentences: int = 0
    unsupported: list[dict] = field(default_factory=list)
    rejected: str = ""  # the first sentence that failed, for the record (never shown)
    prompt_tokens: int = 0
    new_tokens: int = 0
    first_token_seconds: float = 0.0
    first_sentence_seconds: float = 0.0
    tokens_per_second: float = 0.0
    # The passage sentence added after an answer that gave none of its figures (see
    # _missing_detail); empty when none was.
    detail_added: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def prompt_messages(*, assistant_name: str, question: str, passages: list[dict]) -> list[dict]:
    """System instructions with the numbered passages; the question alone in the user turn."""
    blocks = [f"[{number}] {p['title']}\n{p['text'][:PASSAGE_CHARS]}".strip()
              for number, p in enumerate(passages, start=1)]
    system = INSTRUCTIONS.format(name=assistant_name) + "\n\nPassages:\n\n" + "\n\n".join(blocks)
    return [{"role": "system", "content": system}, {"role": "user", "content": question}]


def _repeats(sentence: str, accepted: list[str]) -> bool:
    """The sentence says again what an accepted one said, loops within itself, or stutters
    ("a return return card")."""
    if _STUTTER.search(sentence):
        return True
    joined = " ".join([*accepted, sentence])
    return len(repetition_cut(joined)) < len(joined.strip())


def content_words(text: str) -> set[str]:
    """Content words, crudely stemmed: "returned", "returns" and "return" are one word."""
    return {_stem(word) for word in _WORD.findall(text.lower()) if word not in _COMMON}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[:-len(suffix)]
    return word


@dataclass(frozen=True)
class _SourceSentence:
    """A passage sentence as `contradicts` reads it: its content words and its polarity."""

    words: frozenset[str]
    negated: bool
    text: str


def _source_sentences_read(source_sentences: Sequence[str]) -> list[_SourceSentence]:
    return [_SourceSentence(frozenset(content_words(source)),
                            _NEGATION.search(source) is not None, source)
            for source in source_sentences]


def _passage_sentences(passages: Sequence[str]) -> list[_SourceSentence]:
    # Passages are wrapped at a width: a line break is a sentence's end only before a list item.
    return _source_sentences_read([sentence for passage in passages
                                   for sentence in sentences(_LINE_WRAP.sub(" ", passage))])


def _has_figure(text: str) -> bool:
    """A number, price, date, time or phone number: any fact but a name."""
    return any(fact.kind != "entity" for fact in grounding.reply_facts(text))


def _missing_detail(accepted: list[str], sources: list[_SourceSentence]) -> str:
    """The passage sentence an answer stating no figure (no number, price, date, time or
    phone number) is built from, when that sentence holds one: "Yes, you can pay with
    Klarna." leaves out "3 interest-free instalments on orders from £30 to £1,000". Empty
    when the answer has a figure, or its closest passage sentence none."""
    if any(_has_figure(sentence) for sentence in accepted):
        return ""
    words = content_words(" ".join(accepted))
    shared = [len(words & source.words) for source in sources]
    most = max(shared, default=0)
    # Fewer shared words than a sentence needs to count as built from a passage sentence do
    # here only when one sentence alone shares them ("Klarna").
    if most == 0 or (most < MIN_SOURCE_WORDS and shared.count(most) > 1):
        return ""
    text = sources[shared.index(most)].text.strip()  # the first of equals
    if _META.search(text) or text in accepted or not text.endswith((".", "!")) \
            or not _has_figure(text):
        return ""
    return text


def contradicts(sentence: str, source_sentences: list[str]) -> bool:
    """Whether the sentence's polarity (negated or not) differs from that of every passage
    sentence it shares the most content words with."""
    return _contradicts(sentence, _source_sentences_read(source_sentences))


def _contradicts(sentence: str, sources: list[_SourceSentence]) -> bool:
    # The passage sentences are read once per reply (validated_generate), not per sentence.
    words = content_words(sentence)
    shared = [(len(words & source.words), source) for source in sources]
    most = max((count for count, _ in shared), default=0)
    if most < MIN_SOURCE_WORDS:
        return False
    negated = _NEGATION.search(sentence) is not None
    return all(source.negated != negated for count, source in shared if count == most)


def _unsupported_words(sentence: str, vocabulary: set[str]) -> list[str]:
    """The sentence's content words found neither in the passages nor in the question, when
    they are more than a small share of it: the model is writing about something else."""
    words = content_words(sentence)
    missing = sorted(words - vocabulary)
    return missing if len(missing) > max(1, MAX_NEW_WORD_SHARE * len(words)) else []


def answer_generate(*, generator: Generator, assistant_name: str, question: str,
                    passages: list[dict], max_new_tokens: int,
                    emit: Callable[[str], None] = lambda text: None) -> Generated:
    """Generate, validate each finished sentence against the passages, and `emit` the
    accepted ones (with the space between them) as they come."""
    # The user's own references (an order number) may be echoed; their names, amounts, dates
    # or phone numbers may not: "tell everyone returns cost £49.99" must not ground £49.99,
    # nor "can I pay with Klarna?" ground "Yes, you can pay with Klarna".
    echoes = [f.text for f in grounding.reply_facts(question)
              if f.kind == "entity" and any(c.isdigit() for c in f.text)]
    # What the model read: a fact further down a passage it never saw grounds nothing.
    sources = [f"{p['title']}\n{p['text'][:PASSAGE_CHARS]}" for p in passages]
    return validated_generate(
        generator=generator,
        messages=prompt_messages(assistant_name=assistant_name, question=question,
                                 passages=passages),
        sources=sources, echoes=echoes, max_new_tokens=max_new_tokens, emit=emit,
        vocabulary=content_words(" ".join([*sources, question, assistant_name])),
        detail_sources=[p["text"][:PASSAGE_CHARS] for p in passages])


def validated_generate(*, generator: Generator, messages: list[dict], sources: list[str],
                       echoes: list[str], max_new_tokens: int,
                       emit: Callable[[str], None] = lambda text: None,
                       vocabulary: set[str] | None = None,
                       detail_sources: Sequence[str] = ()) -> Generated:
    """Stream the generator's turn, keeping each finished sentence whose facts all appear in
    `sources` (or `echoes`), and whose content words mostly do (`vocabulary`: the passages'
    and the question's, by default the sources'), until the first that fails. With
    `detail_sources` (the passages' texts), an answer that states none of the figures of the
    passage sentence it is built from gets that sentence after it."""
    source_words = content_words(" ".join(sources))
    source_sentences = _passage_sentences(sources)
    vocabulary = vocabulary if vocabulary is not None else source_words
    result = Generated(generator=generator.name)
    stats = DecodeStats()
    accepted: list[str] = []
    written = ""
    started = time.perf_counter()

    def accept(sentence: str) -> bool:
        check = grounding.facts_check(sentence, sources, also_allowed=echoes)
        new_words = _unsupported_words(sentence, vocabulary)
        failure = ("meta" if _META.search(sentence)
                   else "ungrounded" if not check.grounded
                   else "off_topic" if new_words
                   else "no_content" if not check.facts and len(
                       content_words(sentence) & source_words) < MIN_SOURCE_WORDS
                   else "contradiction" if _contradicts(sentence, source_sentences)
                   else "repetition" if _repeats(sentence, accepted) else "")
        if failure:
            result.outcome = failure
            result.unsupported = (
                [{"kind": "word", "text": word} for word in new_words]
                if failure == "off_topic"
                else [{"kind": f.kind, "text": f.text} for f in check.unsupported])
            result.rejected = sentence
            return False
        if not accepted:
            result.first_sentence_seconds = round(time.perf_counter() - started, 4)
        emit(sentence if not accepted else " " + sentence)
        accepted.append(sentence)
        return True

    stream = generator.stream(messages, max_new_tokens=max_new_tokens, stats=stats)
    try:
        for piece in stream:
            written += piece
            finished, written = complete_sentences(written)
            if not all(accept(sentence) for sentence in finished):
                break
        else:
            tail = written.strip()
            # A sentence cut off by the token limit is dropped; one the model ended is kept.
            if tail and stats.stop == "end":
                accept(tail)
            if not result.outcome:
                result.outcome = "complete" if stats.stop == "end" else "truncated"
    except GeneratorUnavailable as exc:
        logger.warning("generator unavailable: %s", exc)
        result.outcome = "unavailable"
    except Exception:
        logger.exception("generation failed")
        result.outcome = "failed"
    finally:
        stream.close()
    if detail_sources and accepted:
        result.detail_added = _missing_detail(accepted, _passage_sentences(detail_sources))
        if result.detail_added:
            emit(" " + result.detail_added)
            accepted.append(result.detail_added)
    result.text = " ".join(accepted)
    result.sentences = len(accepted)
    result.prompt_tokens = stats.prompt_tokens
    result.new_tokens = stats.new_tokens
    result.first_token_seconds = round(stats.first_token_seconds, 4)
    result.tokens_per_second = round(stats.tokens_per_second, 2)
    return result
