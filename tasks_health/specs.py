"""The health industry's tasks, as the core catalog sees them."""

from slm_platform.core.catalog import StarterData, TaskKind, TaskSpec
from tasks_health.patient_intent.labels import INTENT_DESCRIPTIONS, INTENTS
from tasks_health.patient_intent.normalise import normalise_message
from tasks_health.patient_intent.red_flags import red_flag
from tasks_health.patient_intent.slot_rules import extract_slots
from tasks_health.patient_intent.starter_data import starter_splits
from tasks_health.phi_deid.labels import PHI_DESCRIPTIONS, PHI_TYPES
from tasks_health.phi_deid.served import phi_served

EMERGENCY = "emergency"


def with_red_flags(text: str, prediction: dict) -> dict:
    """A message that names a red-flag symptom is an emergency whatever the model said: the
    prediction then carries the rule that fired (`red_flag`), and `model_label` keeps what the
    model had chosen; `score` is the model's own probability of an emergency (low when only the
    rule saw it, so such messages also stand out for review)."""
    flag = red_flag(text)
    if flag is None:
        return prediction
    flagged = dict(prediction, red_flag=flag.as_dict())
    if prediction.get("label") != EMERGENCY:
        flagged["model_label"] = prediction.get("label")
        flagged["label"] = EMERGENCY
        flagged["score"] = (prediction.get("scores") or {}).get(EMERGENCY)
    return flagged


def patient_message_served(text: str, prediction: dict) -> dict:
    """What a patient-intent prediction carries: the intent (red-flag rules applied) and the
    message's slots (dates, times, departments, clinicians) with their spans."""
    return with_red_flags(text, dict(prediction, slots=extract_slots(text)))


def _patient_intent_starter_data() -> StarterData:
    splits = starter_splits()
    slices = {name: splits[name] for name in ("test_seen_slot_values", "test_unseen_slot_values")}
    return StarterData(train=splits["train"], test=splits["test"], test_slices=slices)


_BOOKING = "hi can i book an appt with Dr Okafor next tue? its about a rash on my arm"

PATIENT_INTENT = TaskSpec(
    slug="health.patient-intent",
    kind=TaskKind.CLASSIFICATION,
    title="Patient intent",
    description="A patient's message to a clinic → one of 10 intents, red-flag emergencies "
                "kept apart from routine symptoms.",
    labels=INTENTS,
    label_descriptions=INTENT_DESCRIPTIONS,
    max_input_chars=1000,
    max_length_tokens=96,  # a message is up to a few sentences
    preprocess=normalise_message,
    postprocess=patient_message_served,
    starter_data=_patient_intent_starter_data,
    document_unit="line",  # an export of portal messages lists one message per line
    output_example={"label": "book_appointment", "score": 0.93,
                    "scores": {"book_appointment": 0.93, "symptom_report": 0.04,
                               "reschedule_appointment": 0.02},
                    "slots": extract_slots(_BOOKING)},
    examples=(
        _BOOKING,
        "Repeat rx request pls - amlodipine 5mg, running low",
        "Are my blood test results back yet? Had them done on 3/14.",
        "My dad has crushing chest pain going down his left arm and he's sweating",
    ),
)


def _phi_deid_starter_data() -> StarterData:
    from tasks_health.phi_deid.starter_data import starter_splits as phi_splits

    splits = phi_splits()
    slices = {name: splits[name] for name in ("test_seen_slot_values", "test_unseen_slot_values")}
    return StarterData(train=splits["train"], test=splits["test"], test_slices=slices)


def _model_span(text: str, value: str, label: str, score: float) -> dict:
    start = text.index(value)
    return {"start": start, "end": start + len(value), "label": label, "text": value,
            "score": score}


_NOTE = ("Pt Maria Kowalski (DOB 03/14/1931, MRN 00482913) seen today, a 94 yo woman from "
         "Springfield; daughter reachable at (617) 555-0142 or m.kowalski@mailbox.org.")

PHI_DEID = TaskSpec(
    slug="health.phi-deid",
    kind=TaskKind.ENTITIES,
    title="PHI de-identification",
    description="Clinical notes and patient messages → the HIPAA Safe Harbor identifiers in "
                "them (names, dates, places, phone numbers, emails, record and plan numbers, "
                "...), found by a learned model and validated patterns together; the text "
                "comes back with them masked, and /api/v1/health/deid also pseudonymises, "
                "hashes or removes them.",
    labels=PHI_TYPES,
    label_descriptions=PHI_DESCRIPTIONS,
    max_input_chars=2000,
    max_length_tokens=128,
    postprocess=phi_served,
    starter_data=_phi_deid_starter_data,
    document_unit="line",
    result_fields=("redacted",),
    output_example=phi_served(_NOTE, {"entities": [
        _model_span(_NOTE, "Maria Kowalski", "NAME", 0.98),
        _model_span(_NOTE, "Springfield", "LOCATION", 0.91)]}),
    examples=(
        _NOTE,
        "hi its Tom Reyes, my mom Ana is 92 and her meds from Dr Patel ran out. call me on "
        "07700 900123",
        "Discharge summary: admitted 2/11/2025, discharged 2/16/2025. Follow-up with Dr. Chen "
        "at 41 Elm Street, Cambridge MA 02139.",
    ),
)

HEALTH_TASKS = (PATIENT_INTENT, PHI_DEID)
