"""The starter assistants' held-out questions against their knowledge bases, in one run:
retrieval hit@1 and hit@3 (the question's expected section among the best passages), the search
time, and the red-flag rules' recall and false alarms on the health set. The figures a
generated reply adds (answer-grounded rate, handoff precision, time to first token, tokens/s)
come with the assistants' answering step.

The knowledge bases are read, cut and embedded exactly as the platform's knowledge-base worker
does (chat.reading, the MiniLM sentence encoder, chat.worker.embedding_text), in this process.

    .venv/bin/python bench/chat_eval.py [--json out.json]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from stack import ROOT, write_results

ASSISTANTS = {"retail": ROOT / "tasks_retail" / "assistant",
              "health": ROOT / "tasks_health" / "assistant"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="write the results here, not to stdout")
    return parser.parse_args()


def knowledge_passages(directory: Path) -> list[dict]:
    from slm_platform.chat.reading import read_file

    passages = []
    for path in sorted((directory / "knowledge").iterdir()):
        _, chunked = read_file(path, name=path.name)
        passages += [{"document": path.name, "title": passage.title, "text": passage.text}
                     for passage in chunked.passages]
    return passages


def evaluate(name: str, directory: Path, encoder) -> dict:
    import numpy as np

    from slm_platform.chat.worker import embedding_text
    from slm_platform.ml.vector_index import VectorIndex
    from tasks_health.patient_intent.red_flags import red_flag

    passages = knowledge_passages(directory)
    matrix = encoder.encode([embedding_text(p["title"], p["text"]) for p in passages])
    index = VectorIndex(list(range(len(passages))), np.asarray(matrix, dtype=np.float32))
    questions = [json.loads(line) for line in
                 (directory / "evaluation.jsonl").read_text().splitlines() if line.strip()]
    answered = [q for q in questions if q["expect"] == "answer"]
    hits1 = hits3 = 0
    seconds, misses = [], []
    for question in answered:
        started = time.perf_counter()
        ranked = index.search(encoder.encode([question["question"]])[0], k=3)
        seconds.append(time.perf_counter() - started)
        found = [passages[hit.key] for hit in ranked]
        matches = [p["document"] == question["document"] and question["section"] in p["title"]
                   for p in found]
        hits1 += matches[0]
        hits3 += any(matches)
        if not matches[0]:
            misses.append({"question": question["question"], "expected": question["section"],
                           "got": found[0]["title"]})
    emergencies = [q["question"] for q in questions if q["expect"] == "emergency"]
    others = [q["question"] for q in questions if q["expect"] != "emergency"]
    result = {"assistant": name, "passages": len(passages), "questions": len(questions),
              "answerable": len(answered), "hit_at_1": round(hits1 / len(answered), 3),
              "hit_at_3": round(hits3 / len(answered), 3),
              "search_ms_median": round(1000 * statistics.median(seconds), 1),
              "misses_at_1": misses}
    if emergencies:
        result["red_flag_recall"] = round(
            sum(red_flag(text) is not None for text in emergencies) / len(emergencies), 3)
        result["red_flag_false_alarms"] = sum(red_flag(text) is not None for text in others)
    return result


def main() -> int:
    args = parse_args()
    import django

    django.setup()
    from slm_platform.chat.worker import sentence_encoder
    from slm_platform.ml.runtime import configure_threads

    configure_threads(1)  # as a realtime worker process runs
    encoder = sentence_encoder()
    results = []
    for name, directory in ASSISTANTS.items():
        result = evaluate(name, directory, encoder)
        results.append(result)
        line = (f"{name}: {result['passages']} passages, {result['answerable']} answerable "
                f"questions: hit@1 {result['hit_at_1']:.3f}, hit@3 {result['hit_at_3']:.3f}, "
                f"search {result['search_ms_median']} ms (1 thread)")
        if "red_flag_recall" in result:
            line += (f"; red-flag recall {result['red_flag_recall']:.0%}, "
                     f"{result['red_flag_false_alarms']} false alarms")
        print(line)
        for miss in result["misses_at_1"]:
            print(f"  miss: {miss['question']!r} -> {miss['got']!r} "
                  f"(expected {miss['expected']!r})")
    write_results({"chat_eval": results}, args.json)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slm_platform.settings")
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
