"""Bank statement text to structured transactions, with account identifiers masked.

The pure-Python foundation of `finance.statement-entities`: IBAN and payment-card checks and
masking (identifiers), money amounts (amounts), statement dates (dates) and transaction lines
(lines). No Django, no model.
"""
