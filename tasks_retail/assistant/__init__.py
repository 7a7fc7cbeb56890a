"""The retail starter assistant: a shop's support desk, with a knowledge base written for the
project (knowledge/) and held-out evaluation questions (evaluation.jsonl)."""
