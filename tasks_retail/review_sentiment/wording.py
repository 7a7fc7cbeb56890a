"""Opinion words shared by many templates, so a reviewer's vocabulary recurs across sentences
the way it does in real reviews: "<slow>" in a template stands for "[slow|really slow|...]",
and "<Slow>" for the same words capitalised, to open a sentence.

Without them each template carried its own opinion words, and a model met the held-out
"Delivery was really slow" knowing "slow" from nowhere else.
"""

import re

WORDS: dict[str, tuple[str, ...]] = {
    "good": ("great", "excellent", "brilliant", "superb", "fantastic", "really good", "amazing",
             "outstanding"),
    "bad": ("awful", "terrible", "poor", "shocking", "rubbish", "dreadful", "really bad",
            "appalling"),
    "well_made": ("well made", "sturdy", "solid", "well built", "durable", "robust"),
    "flimsy": ("flimsy", "cheaply made", "badly made", "fragile", "poorly made", "shoddy"),
    "perfectly": ("perfectly", "brilliantly", "flawlessly", "like a dream", "a treat"),
    "premium": ("premium", "really premium", "high-end", "luxurious", "expensive"),
    "fast": ("fast", "quick", "super quick", "speedy", "really fast", "lightning fast",
             "prompt"),
    "slow": ("slow", "really slow", "painfully slow", "far too slow", "so slow", "very slow",
             "sluggish"),
    "value_good": ("great value", "good value for money", "excellent value", "brilliant value",
                   "amazing value", "really good value"),
    "value_bad": ("poor value", "bad value for money", "terrible value", "awful value",
                  "really poor value", "no value for money"),
    "cs_good": ("excellent", "brilliant", "fantastic", "superb", "really helpful",
                "so helpful", "amazing", "lovely"),
    "cs_bad": ("useless", "appalling", "awful", "terrible", "a joke", "non-existent",
               "really unhelpful", "hopeless"),
    "easy": ("easy", "really easy", "simple", "hassle-free", "painless", "straightforward",
             "a breeze"),
    "hard": ("a nightmare", "a hassle", "a pain", "a total nightmare", "so complicated",
             "a joke", "a farce"),
}
_MARKER = re.compile(r"<(\w+)>")


def expand(templates: tuple[str, ...]) -> tuple[str, ...]:
    """The templates with each "<word>" marker written out as its "[a|b|...]" alternatives."""
    return tuple(_MARKER.sub(_alternatives, template) for template in templates)


def _alternatives(marker: re.Match) -> str:
    name = marker[1]
    words = WORDS[name.lower()]
    if name[0].isupper():
        words = tuple(word[0].upper() + word[1:] for word in words)
    return "[" + "|".join(words) + "]"
