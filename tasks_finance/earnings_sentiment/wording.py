"""Interchangeable tone words that many templates share ("{up}", "{missed}", "{bad}", ...).

Real financial text says "grew", "rose" and "was up" for the same thing; drawing the verb or
adjective afresh for each sentence gives every template that variety, and lets a model meet the
same tone words in templates it trained on and in the templates held out for testing. These are
wording, not named values: they are never held out.
"""

WORDS: dict[str, tuple[str, ...]] = {
    # A metric moving, past tense: "{metric} {up} {pct}".
    "up": ("grew", "increased", "rose", "climbed", "improved", "advanced", "jumped"),
    "down": ("declined", "fell", "decreased", "dropped", "slipped", "shrank"),
    # Headline verbs, present tense: "{company} shares {rises} after ...".
    "rises": ("rise", "climb", "jump", "gain", "surge", "rally"),
    "falls": ("fall", "drop", "slide", "slump", "sink", "tumble"),
    # A margin moving.
    "expanded": ("expanded", "improved", "increased", "rose", "widened"),
    "contracted": ("contracted", "compressed", "declined", "fell", "narrowed", "deteriorated"),
    # Against expectations.
    "beat": ("beat", "topped", "exceeded", "came in ahead of", "surpassed"),
    "missed": ("missed", "fell short of", "came in below", "trailed", "landed below"),
    # Guidance.
    "raising": ("raising", "increasing", "lifting"),
    "cutting": ("lowering", "cutting", "reducing", "trimming"),
    # Adjectives before a noun: "a {good} quarter", "{bad} demand".
    "good": ("strong", "solid", "robust", "healthy", "great", "very strong"),
    "bad": ("weak", "soft", "disappointing", "challenging", "difficult", "tough"),
    # How management feels about it: "we're {pleased} with ...".
    "pleased": ("pleased", "happy", "encouraged", "very pleased", "delighted"),
    "disappointed": ("disappointed", "not satisfied", "frustrated", "unhappy"),
}

