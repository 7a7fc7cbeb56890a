"""The four redaction modes of health.phi-deid."""

import re

from tasks_health.phi_deid.redaction import SURROGATE_SURNAMES, redact, value_hash

KEY = b"organization-key"
TEXT = ("Jane Smith (MRN 00482913) was admitted 03/14/2025 and discharged 03/20/2025. "
        "Mrs Smith's son, Tom Smith, calls from (617) 555-0142. MRN 00482913 confirmed. "
        "She is 94, lives in Springfield, email jane.smith@mail.com.")


def _entities() -> list[dict]:
    spans = [("Jane Smith", "NAME", 0), ("00482913", "MRN", 0), ("03/14/2025", "DATE", 0),
             ("03/20/2025", "DATE", 0), ("Smith", "NAME", 1), ("Tom Smith", "NAME", 0),
             ("(617) 555-0142", "PHONE", 0), ("00482913", "MRN", 1), ("94", "AGE", 0),
             ("Springfield", "LOCATION", 0), ("jane.smith@mail.com", "EMAIL", 0)]
    entities = []
    for value, label, occurrence in spans:
        start = -1
        for _ in range(occurrence + 1):
            start = TEXT.index(value, start + 1)
        entities.append({"start": start, "end": start + len(value), "label": label})
    return entities


def test_mask_names_each_type():
    text, replacements = redact(TEXT, _entities(), mode="mask", key=KEY)
    assert text.startswith("[NAME] (MRN [MRN]) was admitted [DATE] and discharged [DATE].")
    assert "jane" not in text.lower() and "555" not in text
    assert replacements[0] == "[NAME]"


def test_pseudonyms_are_consistent_within_a_document_and_keep_intervals():
    text, replacements = redact(TEXT, _entities(), mode="pseudonym", key=KEY)
    by_value = dict(zip([TEXT[e["start"]:e["end"]] for e in _entities()], replacements,
                        strict=False))
    assert "Smith" not in text and "00482913" not in text and "Springfield" not in text
    # "Jane Smith", "Mrs Smith" and "Tom Smith" keep one surname; the two MRNs are one stand-in.
    surname = replacements[0].split()[-1]
    assert surname in SURROGATE_SURNAMES
    assert replacements[4] == surname and replacements[5].endswith(" " + surname)
    assert replacements[1] == replacements[7] and re.fullmatch(r"\d{8}", replacements[1])
    assert re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}", by_value["(617) 555-0142"])
    assert replacements[8] == "90+"
    assert replacements[10].endswith("@example.org")
    admitted, discharged = replacements[2], replacements[3]
    import datetime
    gap = datetime.date.fromisoformat(discharged) - datetime.date.fromisoformat(admitted)
    assert gap.days == 6 and admitted != "2025-03-14"
    # The same document and key give the same text again (a retried call); another key not.
    assert redact(TEXT, _entities(), mode="pseudonym", key=KEY)[0] == text
    assert redact(TEXT, _entities(), mode="pseudonym", key=b"another")[0] != text


def test_hash_links_a_value_across_documents_of_one_key_only():
    text, replacements = redact(TEXT, _entities(), mode="hash", key=KEY)
    assert replacements[1] == replacements[7] == f"[MRN:{value_hash(KEY, 'MRN', '00482913')}]"
    assert re.fullmatch(r"\[MRN:[0-9a-f]{10}\]", replacements[1])
    assert value_hash(KEY, "PHONE", "(617) 555-0142") == value_hash(KEY, "PHONE", "617-555-0142")
    assert value_hash(b"another", "MRN", "00482913") != value_hash(KEY, "MRN", "00482913")
    assert "00482913" not in text


def test_remove_deletes_spans_and_tidies_spaces():
    text, _ = redact("Seen by Dr Anna Berg , at 41 Elm St.", [
        {"start": 11, "end": 20, "label": "NAME"}, {"start": 26, "end": 35, "label": "LOCATION"}],
        mode="remove", key=KEY)
    assert text == "Seen by Dr, at."
