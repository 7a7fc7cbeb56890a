"""What a template is: its text, the register it is written in and the hard case it stands for.

Text syntax: slots in braces are filled by slots.SLOT_FILLERS ("{money2}" is a second amount);
"[a|b]" picks one of its alternatives and "[a|]" makes a part optional.
"""

from typing import NamedTuple

# Where a sentence comes from. Only the spoken Q&A registers get transcript noise.
REGISTERS = ("remarks", "answer", "question", "operator", "news", "filing")
SPOKEN_REGISTERS = frozenset({"answer", "question"})

# The cases that make financial sentiment hard; a template without one is "plain".
NEGATION_HEDGE = "negation_hedge"  # "not as strong as we hoped", "we haven't seen any slowdown"
DIRECTION = "direction"  # down is good (costs, churn, losses, debt) or up is bad
MIXED_CLAUSES = "mixed_clauses"  # good and bad news; the main clause decides
NUMBERS_ONLY = "numbers_only"  # "EPS of $1.12 versus consensus $0.98": figures, no tone words
FINANCE_WORDS = "finance_words"  # neutral, yet full of words that usually carry tone
HARD_KINDS = (NEGATION_HEDGE, DIRECTION, MIXED_CLAUSES, NUMBERS_ONLY, FINANCE_WORDS)


class Template(NamedTuple):
    text: str
    register: str
    hard: str | None = None
    # A positive and a negative template written as mirror images ("increased" / "decreased")
    # share a twin name, so that the split holds them out together.
    twin: str | None = None


def remarks(text: str, hard: str | None = None, twin: str | None = None) -> Template:
    """Management's prepared remarks, first person."""
    return Template(text, "remarks", hard, twin)


def answer(text: str, hard: str | None = None, twin: str | None = None) -> Template:
    """Management answering an analyst in the Q&A, first person, spoken."""
    return Template(text, "answer", hard, twin)


def question(text: str, hard: str | None = None, twin: str | None = None) -> Template:
    """An analyst's question in the Q&A, spoken."""
    return Template(text, "question", hard, twin)


def operator(text: str, hard: str | None = None, twin: str | None = None) -> Template:
    """The conference-call operator or investor relations reading the script."""
    return Template(text, "operator", hard, twin)


def news(text: str, hard: str | None = None, twin: str | None = None) -> Template:
    """A news headline or lede, third person."""
    return Template(text, "news", hard, twin)


def filing(text: str, hard: str | None = None, twin: str | None = None) -> Template:
    """10-K / 10-Q / annual-report language, third person."""
    return Template(text, "filing", hard, twin)
