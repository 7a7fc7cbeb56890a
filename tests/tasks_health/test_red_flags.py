"""The red-flag safety net of health.patient-intent: a message naming an urgent symptom is an
emergency whatever the model says; a negated or harmless mention is not."""

import pytest

from tasks_health.patient_intent.red_flags import red_flag
from tasks_health.specs import PATIENT_INTENT, patient_message_served, with_red_flags


@pytest.mark.parametrize(("text", "rule"), [
    ("my husband has crushing chest pain spreading to his jaw", "chest_pain"),
    ("Chest pain and I'm sweating and feel faint", "chest_pain"),
    ("she can't catch her breath and her lips have gone blue", "breathing"),
    ("Dad's face is drooping on one side and his speech is slurred", "stroke"),
    ("suddenly the worst headache of my life", "headache"),
    ("cut my hand on glass and it won't stop bleeding", "bleeding"),
    ("i keep thinking about ending it all, i want to kill myself", "suicide_self_harm"),
    ("I've been having thoughts of ending my life", "suicide_self_harm"),
    ("my toddler swallowed some of my blood pressure tablets", "overdose_poisoning"),
    ("after the peanut satay my throat is swelling up", "anaphylaxis"),
    ("mum collapsed in the kitchen and is unresponsive", "collapse"),
    ("my son is having a seizure right now", "seizure"),
    ("the baby is floppy and won't feed", "unwell_baby"),
    ("he has a fever and a purple rash that doesn't fade with the glass test", "rash_not_fading"),
    ("spilled boiling water, large burn on her leg", "severe_burn"),
])
def test_each_red_flag_is_caught(text, rule):
    flag = red_flag(text)
    assert flag is not None and flag.rule == rule, flag
    assert text[flag.start:flag.end] == flag.matched


@pytest.mark.parametrize("text", [
    "Low mood lately but no thoughts of self-harm, could I see someone?",
    "I'm not struggling to breathe, just a blocked nose",
    "Can I book a blood pressure check next Tuesday?",
    "my nosebleed stopped after ten minutes, should I mention it at my appointment",
    "mild rash on my arm, no swelling anywhere",
    "I'd like to cancel my physio appointment on the 3rd",
    "repeat prescription for my inhaler please",
])
def test_routine_and_negated_mentions_are_not_flagged(text):
    assert red_flag(text) is None


def test_a_negation_in_an_earlier_sentence_does_not_hide_a_red_flag():
    assert red_flag("No fever. But now he can't breathe properly").rule == "breathing"


def test_the_rule_overrides_the_models_label_and_says_why():
    prediction = {"label": "opening_hours", "score": 0.7,
                  "scores": {"opening_hours": 0.7, "emergency": 0.2, "other": 0.1}}
    text = "Is A&E open now? my son's lips are swelling"
    served = with_red_flags(text, prediction)
    assert served["label"] == "emergency" and served["model_label"] == "opening_hours"
    assert served["score"] == 0.2
    assert served["red_flag"]["rule"] == "anaphylaxis"
    assert with_red_flags("what time do you open on saturday?", prediction) == prediction
    already = {"label": "emergency", "score": 0.9, "scores": {"emergency": 0.9}}
    kept = with_red_flags("my dad is unconscious", already)
    assert kept["label"] == "emergency" and "model_label" not in kept and kept["red_flag"]
    assert PATIENT_INTENT.postprocess is patient_message_served
    served = patient_message_served("can't breathe, is dr okafor in today?", prediction)
    assert served["label"] == "emergency"
    assert [slot["type"] for slot in served["slots"]] == ["clinician", "date"]
