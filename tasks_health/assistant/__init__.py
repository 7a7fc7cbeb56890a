"""The health starter assistant: a clinic's patient desk, with a knowledge base written for the
project (knowledge/) and held-out evaluation questions (evaluation.jsonl)."""
