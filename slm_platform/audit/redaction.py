"""Secrets never reach an audit row: the last line of defence under every service.

Services already pass only what an auditor needs (an API key's prefix, never the key; a hash
of inputs, never the text). What a caller cannot foresee is still caught here, before the row
is hashed: values under secret-sounding keys, API keys, webhook secrets, bearer tokens,
passwords inside URLs (`https://user:pass@host/`) and the deployment's SECRET_KEY.
"""

import re

from django.conf import settings

REDACTED = "[redacted]"
# A whole key name, or its last underscore-separated part: password, new_password, api_key,
# webhook_secret, access_token (and not tokenizer, max_tokens or secret_rotated_at).
_SECRET_KEY_NAME = re.compile(
    r"(?:^|_)(?:password|passwd|passphrase|secret|token|authorization|api_?key|private_?key|"
    r"credentials?)$", re.IGNORECASE)
_SECRET_PATTERNS = (
    # API keys (accounts/keys.py: slm_<prefix>_<secret>): the prefix names the key and stays.
    (re.compile(r"\b(slm_[0-9a-f]{8}_)[A-Za-z0-9_-]{8,}"), r"\1" + REDACTED),
    (re.compile(r"\bwhsec_[A-Za-z0-9_-]{8,}"), "whsec_" + REDACTED),
    (re.compile(r"\bBearer\s+[A-Za-z0-9._~+/=-]{8,}"), "Bearer " + REDACTED),
    # The password of a URL's user information: scheme://user:password@host
    (re.compile(r"(?<=://)([^/@:\s]*):[^/@\s]*@"), r"\1:" + REDACTED + "@"),
)


# Cheap first look: most strings hold none of what the patterns above look for.
_MAYBE_SECRET = re.compile(r"slm_|whsec_|Bearer|@")


def _text_redact(text: str, secret_key: str) -> str:
    if _MAYBE_SECRET.search(text):
        for pattern, replacement in _SECRET_PATTERNS:
            text = pattern.sub(replacement, text)
    if secret_key and secret_key in text:
        text = text.replace(secret_key, REDACTED)
    return text


def data_redact(value):
    """`value` (an audit row's data) with every secret replaced by "[redacted]"."""
    secret_key = getattr(settings, "SECRET_KEY", "")
    return _redact(value, secret_key if len(secret_key) >= 16 else "")


def _redact(value, secret_key: str):
    if isinstance(value, dict):
        return {key: REDACTED if _secret_named(key, item) else _redact(item, secret_key)
                for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(item, secret_key) for item in value]
    if isinstance(value, str):
        return _text_redact(value, secret_key)
    return value


def _secret_named(key, value) -> bool:
    # Counts and flags under such names ("token": 3) say nothing secret.
    return (isinstance(key, str) and bool(value) and _SECRET_KEY_NAME.search(key) is not None
            and not isinstance(value, bool | int | float))
