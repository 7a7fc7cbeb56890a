"""Train/validation/test splits: the dataset's own when it has one, else seeded and stratified."""

import random
from dataclasses import dataclass

from slm_platform.ml.splitting import stratified_split

DEFAULT_TEST_FRACTION = 0.1


@dataclass
class Split:
    source: str  # "dataset" or "generated"
    seed: int
    parts: dict[str, list[dict]]

    def summary(self) -> dict:
        return {"source": self.source, "seed": self.seed,
                "counts": {name: len(rows) for name, rows in self.parts.items()}}

    def rows(self) -> dict[str, list[int]]:
        """The file row numbers in each part: enough to rebuild the split exactly."""
        return {name: [r["row"] for r in rows] for name, rows in self.parts.items()}


def _stratum(row: dict) -> str:
    # Rows by their label set (one label for single-label tasks; entity types for entities).
    labels = row["labels"] if "labels" in row else {span[2] for span in row["spans"]}
    return "|".join(sorted(labels)) or "-"


def _carve(rows: list[dict], *, fraction: float, seed: int) -> tuple[list[dict], list[dict]]:
    keep, held = stratified_split([r["text"] for r in rows], [_stratum(r) for r in rows],
                                  fraction=fraction, seed=seed)
    if not held and len(keep) > 1:
        # Many labels with one or two rows each round to nothing held out; evaluation and
        # calibration still need examples, so hold out a seeded share of the whole set.
        shuffled = random.Random(seed).sample(keep, len(keep))
        count = max(1, round(len(keep) * fraction))
        keep, held = sorted(shuffled[count:]), sorted(shuffled[:count])
    return [rows[i] for i in keep], [rows[i] for i in held]


def split_records(records: list[dict], *, seed: int, fraction: float) -> Split:
    """Use the dataset's split column where given; carve what is missing from train, seeded."""
    given = {name: [r for r in records if r.get("split") == name]
             for name in ("train", "validation", "test")}
    source = "dataset" if any(r.get("split") for r in records) else "generated"
    train = given["train"] + [r for r in records if not r.get("split")]
    test = given["test"]
    if not test:
        train, test = _carve(train, fraction=DEFAULT_TEST_FRACTION, seed=seed)
    validation = given["validation"]
    if not validation:
        train, validation = _carve(train, fraction=fraction, seed=seed + 1)
    return Split(source=source, seed=seed,
                 parts={"train": train, "validation": validation, "test": test})
