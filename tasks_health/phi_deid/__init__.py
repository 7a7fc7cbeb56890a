"""health.phi-deid: the HIPAA Safe Harbor identifiers in clinical notes and patient messages,
found by a learned model and validated patterns, and redacted (mask, pseudonym, hash, remove)."""
