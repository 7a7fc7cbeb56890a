"""Constrained decoding of a small JSON object: a grammar made from a JSON schema, so a language
model can only write `{"key": value, ...}` with the schema's keys in order, each value a string
matching the property's pattern, enum or date format, an integer, a boolean, or null.

The grammar is a regular expression over characters (JSON of fixed keys is a regular language)
compiled to a Thompson NFA; its states are explored lazily as sets. At each decoding step the
allowed tokens are those whose text keeps the output a valid prefix of the grammar
(`TokenIndex.allowed`), so the output always parses. A value is still checked against the
schema (jsonschema) by the caller: the grammar keeps the syntax, not every schema keyword.

Supported patterns: literals and escapes, `.`, `\\d`, `\\w`, `\\s`, character classes with ranges
(`[A-Z0-9-]`, `[^...]`), groups `(...)` / `(?:...)`, alternation, `?`, `*`, `+`, `{n}`, `{n,m}`,
and the anchors `^`/`$` at the ends (a value always matches whole)."""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

# What a JSON string value may hold here: printable ASCII without the quote and the backslash,
# so a value never needs escaping.
ALPHABET = frozenset(chr(code) for code in range(32, 127))
VALUE_CHARS = ALPHABET - {'"', "\\"}
_DIGITS = frozenset("0123456789")
_WORD = _DIGITS | frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_SPACE = frozenset(" ")
_CLASS_ESCAPES = {"d": _DIGITS, "w": _WORD, "s": _SPACE}
FREE_STRING_CHARS = 60  # the longest string of a schema with neither pattern nor maxLength
_META = set("\\^$.|?*+()[]{}")


class GrammarError(ValueError):
    """The schema or pattern uses something the grammar does not support."""


@dataclass
class _State:
    edges: list[tuple[frozenset, int]] = field(default_factory=list)
    empty: list[int] = field(default_factory=list)  # ε moves


class Automaton:
    """A Thompson NFA; `step` and `start` work on frozensets of its states (each such set is a
    state of the equivalent DFA, computed when first reached and kept)."""

    def __init__(self) -> None:
        self.states: list[_State] = []
        self.final = -1
        self._steps: dict[tuple[frozenset, str], frozenset] = {}
        self._closures: dict[frozenset, frozenset] = {}
        self.start: frozenset = frozenset()
        # TokenIndex.allowed's answers, by index and states.
        self.allowed_tokens: dict[int, dict[frozenset, list]] = {}

    def new(self) -> int:
        self.states.append(_State())
        return len(self.states) - 1

    def closure(self, states: Iterable[int]) -> frozenset:
        key = frozenset(states)
        if key not in self._closures:
            seen, todo = set(key), list(key)
            while todo:
                for target in self.states[todo.pop()].empty:
                    if target not in seen:
                        seen.add(target)
                        todo.append(target)
            self._closures[key] = frozenset(seen)
        return self._closures[key]

    def step(self, states: frozenset, char: str) -> frozenset:
        key = (states, char)
        if key not in self._steps:
            self._steps[key] = self.closure(
                target
                for state in states
                for chars, target in self.states[state].edges
                if char in chars
            )
        return self._steps[key]

    def walk(self, states: frozenset, text: str) -> frozenset:
        for char in text:
            if not states:
                break
            states = self.step(states, char)
        return states

    def accepting(self, states: frozenset) -> bool:
        return self.final in states

    def next_chars(self, states: frozenset) -> frozenset:
        return frozenset().union(
            *(chars for state in states for chars, _ in self.states[state].edges)
        )

    def forced(self, states: frozenset) -> str:
        """The characters that must come next, whatever is chosen (a key, a bracket)."""
        chars = []
        while not self.accepting(states):
            following = self.next_chars(states)
            if len(following) != 1:
                break
            [char] = following
            chars.append(char)
            states = self.step(states, char)
        return "".join(chars)

    def matches(self, text: str) -> bool:
        return self.accepting(self.walk(self.start, text))


# Regular expressions to NFA fragments (start, end) ---------------------------------------


class _Parser:
    def __init__(self, automaton: Automaton, pattern: str, chars: frozenset) -> None:
        self.nfa, self.text, self.pos, self.chars = automaton, pattern, 0, chars

    def error(self, message: str) -> GrammarError:
        return GrammarError(f"pattern {self.text!r} at {self.pos}: {message}")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def take(self) -> str:
        char = self.peek()
        self.pos += 1
        return char

    def edge(self, chars: frozenset) -> tuple[int, int]:
        start, end = self.nfa.new(), self.nfa.new()
        self.nfa.states[start].edges.append((chars & self.chars, end))
        return start, end

    def empty(self) -> tuple[int, int]:
        start = self.nfa.new()
        return start, start

    def join(self, first: tuple[int, int], second: tuple[int, int]) -> tuple[int, int]:
        self.nfa.states[first[1]].empty.append(second[0])
        return first[0], second[1]

    def either(self, options: list[tuple[int, int]]) -> tuple[int, int]:
        if len(options) == 1:
            return options[0]
        start, end = self.nfa.new(), self.nfa.new()
        for option_start, option_end in options:
            self.nfa.states[start].empty.append(option_start)
            self.nfa.states[option_end].empty.append(end)
        return start, end

    def alternation(self) -> tuple[int, int]:
        options = [self.sequence()]
        while self.peek() == "|":
            self.take()
            options.append(self.sequence())
        return self.either(options)

    def sequence(self) -> tuple[int, int]:
        fragment = self.empty()
        while self.peek() not in ("", "|", ")"):
            fragment = self.join(fragment, self.repeated())
        return fragment

    def repeated(self) -> tuple[int, int]:
        start = self.pos
        fragment = self.atom()
        atom_text = self.text[start : self.pos]
        char = self.peek()
        if char not in ("?", "*", "+", "{"):
            return fragment
        self.take()
        if char == "?":
            return self.either([fragment, self.empty()])
        if char in ("*", "+"):
            loop_start, loop_end = fragment
            self.nfa.states[loop_end].empty.append(loop_start)
            return fragment if char == "+" else self.either([fragment, self.empty()])
        low, high = self.bounds()
        if high == 0:
            return self.empty()
        # {n,m}: the atom n times, then m-n optional copies (parsed again from its text).
        copies = [fragment] + [self.again(atom_text) for _ in range(high - 1)]
        result = self.empty()
        for index, copy in enumerate(copies):
            result = self.join(result, copy if index < low else self.either([copy, self.empty()]))
        return result

    def again(self, atom_text: str) -> tuple[int, int]:
        return _Parser(self.nfa, atom_text, self.chars).atom()

    def bounds(self) -> tuple[int, int]:
        end = self.text.find("}", self.pos)
        if end < 0:
            raise self.error("an unclosed {")
        low, comma, high = self.text[self.pos : end].partition(",")
        self.pos = end + 1
        if not low.isdigit() or (comma and not high.isdigit()) or (comma and int(high) < int(low)):
            raise self.error("only {n} and {n,m} repeat counts are supported")
        return int(low), int(high) if comma else int(low)

    def atom(self) -> tuple[int, int]:
        char = self.take()
        if char == "(":
            if self.text.startswith("?:", self.pos):
                self.pos += 2
            fragment = self.alternation()
            if self.take() != ")":
                raise self.error("an unclosed (")
            return fragment
        if char == "[":
            return self.edge(self.char_class())
        if char == ".":
            return self.edge(ALPHABET)
        if char == "\\":
            escaped = self.take()
            return self.edge(_CLASS_ESCAPES.get(escaped, frozenset(escaped)))
        if char in _META or not char:
            raise self.error(f"{char or 'the end'} is not supported here")
        return self.edge(frozenset(char))

    def char_class(self) -> frozenset:
        negate = self.peek() == "^"
        if negate:
            self.take()
        chars: set[str] = set()
        first = True
        while True:
            char = self.take()
            if not char:
                raise self.error("an unclosed [")
            if char == "]" and not first:
                break
            first = False
            if char == "\\":
                escaped = self.take()
                chars |= _CLASS_ESCAPES.get(escaped, {escaped})
                continue
            if self.peek() == "-" and self.text[self.pos + 1 : self.pos + 2] not in ("]", ""):
                self.take()
                last = self.take()
                chars |= {chr(code) for code in range(ord(char), ord(last) + 1)}
            else:
                chars.add(char)
        return (ALPHABET - chars) if negate else frozenset(chars)


def _escape(text: str) -> str:
    return "".join(f"\\{char}" if char in _META else char for char in text)


def _value_options(build: "_Builder", schema: dict) -> list[tuple[int, int]]:
    """The fragments of the JSON values a property schema allows, null last."""
    kind = schema.get("type")
    if "enum" in schema:
        options = [build.part(_escape(json.dumps(value))) for value in schema["enum"]]
    elif kind == "string":
        options = [
            build.chain(
                build.part('"'), build.part(_string_body(schema), VALUE_CHARS), build.part('"')
            )
        ]
    elif kind == "integer":
        options = [build.part("-?(?:0|[1-9]\\d{0,11})")]
    elif kind == "boolean":
        options = [build.part("true"), build.part("false")]
    else:
        raise GrammarError(f"type {kind!r} is not supported (string, integer, boolean, enum)")
    return [*options, build.part("null")]


def _string_body(schema: dict) -> str:
    pattern = schema.get("pattern")
    if pattern is not None:
        return pattern.removeprefix("^").removesuffix("$")
    if schema.get("format") == "date":
        return "\\d{4}-\\d{2}-\\d{2}"
    low = int(schema.get("minLength", 0))
    high = min(int(schema.get("maxLength", FREE_STRING_CHARS)), FREE_STRING_CHARS)
    return f".{{{low},{max(low, high)}}}"


class _Builder:
    def __init__(self) -> None:
        self.automaton = Automaton()

    def part(self, pattern: str, chars: frozenset = ALPHABET) -> tuple[int, int]:
        parser = _Parser(self.automaton, pattern, chars)
        fragment = parser.alternation()
        if parser.pos != len(parser.text):
            raise parser.error("an unmatched )")
        return fragment

    def chain(self, *fragments: tuple[int, int]) -> tuple[int, int]:
        parser = _Parser(self.automaton, "", ALPHABET)
        result = fragments[0]
        for fragment in fragments[1:]:
            result = parser.join(result, fragment)
        return result

    def finish(self, fragment: tuple[int, int]) -> Automaton:
        self.automaton.final = fragment[1]
        self.automaton.start = self.automaton.closure([fragment[0]])
        return self.automaton


def compile_pattern(pattern: str, chars: frozenset = ALPHABET) -> Automaton:
    """The automaton of a whole-match regular expression (see the module's list), over
    `chars`."""
    build = _Builder()
    return build.finish(build.part(pattern.removeprefix("^").removesuffix("$"), chars))


def schema_automaton(schema: dict) -> Automaton:
    """`{"a": …, "b": …}`: every property of the object schema, in its order, each a value
    the property allows or null; one space after each colon and comma, none elsewhere."""
    properties = schema.get("properties") or {}
    if schema.get("type", "object") != "object" or not properties:
        raise GrammarError("the schema must be an object with properties")
    build = _Builder()
    result = build.part("\\{")
    for index, (name, property_schema) in enumerate(properties.items()):
        key = ("" if index == 0 else ", ") + json.dumps(name) + ": "
        parser = _Parser(build.automaton, "", ALPHABET)
        result = build.chain(
            result, build.part(_escape(key)), parser.either(_value_options(build, property_schema))
        )
    return build.finish(build.chain(result, build.part("\\}")))


class TokenIndex:
    """A tokenizer's vocabulary as text, indexed by first character, to find the tokens an
    automaton allows next. `texts[i]` is token i's text ("" for a special or partial-byte
    token, which is never allowed)."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.by_first: dict[str, list[int]] = {}
        for token_id, text in enumerate(texts):
            if text and all(char in ALPHABET for char in text):
                self.by_first.setdefault(text[0], []).append(token_id)

    def allowed(self, automaton: Automaton, states: frozenset) -> list[tuple[int, frozenset]]:
        """(token id, the states after it) for every token the automaton allows from here;
        kept on the automaton, so a schema's states are worked out once."""
        kept = automaton.allowed_tokens.setdefault(id(self), {})
        if states not in kept:
            found = []
            for char in automaton.next_chars(states):
                for token_id in self.by_first.get(char, ()):
                    after = automaton.walk(states, self.texts[token_id])
                    if after:
                        found.append((token_id, after))
            kept[states] = found
        return kept[states]
