"""Sentence splitting and repetition cuts on generated replies: pure functions, no database."""

import subprocess
import sys
from pathlib import Path

from slm_platform.chat.sentences import complete_sentences, repetition_cut, sentences

ROOT = Path(__file__).parents[2]


def test_the_sentences_module_imports_no_django():
    code = "import sys; sys.modules['django'] = None; import slm_platform.chat.sentences"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# --- sentences ---


def test_sentences_split_and_keep_their_punctuation():
    assert sentences("Hello there! How can I help? Returns are free.") == [
        "Hello there!",
        "How can I help?",
        "Returns are free.",
    ]


def test_sentences_do_not_split_inside_amounts_abbreviations_or_addresses():
    text = "It costs £3.95, e.g. this. Dr. Patel sees No. 5 patients. See www.shop.example/returns."
    assert sentences(text) == [
        "It costs £3.95, e.g. this.",
        "Dr. Patel sees No. 5 patients.",
        "See www.shop.example/returns.",
    ]


def test_a_line_break_ends_a_sentence():
    assert sentences("Options:\n- Standard\n- Express") == ["Options:", "- Standard", "- Express"]


def test_complete_sentences_returns_the_finished_ones_and_the_tail():
    assert complete_sentences("Hello there. How are") == (["Hello there."], "How are")


def test_a_final_full_stop_is_not_finished_until_more_text_comes():
    assert complete_sentences("Hello there.") == ([], "Hello there.")
    assert complete_sentences("It costs £3.") == ([], "It costs £3.")
    assert complete_sentences("It costs £3.95. More") == (["It costs £3.95."], "More")


# --- repetition ---


def test_a_repeated_short_sentence_is_cut_to_one():
    assert repetition_cut("I'm not. I'm not. I'm not.") == "I'm not."


def test_a_sentence_repeated_later_is_cut_with_what_follows():
    text = "Returns are free. You have 30 days. returns are FREE! Anything else?"
    assert repetition_cut(text) == "Returns are free. You have 30 days."


def test_a_phrase_repeated_back_to_back_three_times_is_cut_to_one():
    text = "You can return it and then you can return it and then you can return it and then go."
    assert repetition_cut(text) == "You can return it and then"


def test_a_phrase_repeated_twice_is_kept():
    text = "  You can return it online or you can return it in store.  "
    assert repetition_cut(text) == text.strip()
